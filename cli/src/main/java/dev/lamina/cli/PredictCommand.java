package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lamina predict}: loads a model written by {@code lamina train}, applies its saved
 * standardisation to a table's feature columns and writes one prediction per row. When the table
 * also has the target column, it says how close the predictions are.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict the target for each row of a CSV table with a model from lamina train.",
                "The table needs the model's feature columns (by name, in any order); other columns are ignored."},
        footer = {"", "Example:", "  lamina predict lamina-out data/concrete.csv --out predictions.csv"})
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The directory lamina train wrote (--out), or the model file in it.")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA.csv", description = "The rows to predict (.csv or .csv.gz).")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the predictions to FILE (default: print them).")
    Path out;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu or cuda (default: ${DEFAULT-VALUE}).")
    String backend;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws IOException {
        Backends.use(backend);
        if (out != null && Files.isDirectory(out)) {
            throw new LaminaException("--out " + out + " is a directory; give a file name such as predictions.csv.");
        }
        ModelBundle bundle = ModelBundle.read(model);
        Preprocessing prep = bundle.preprocessing();
        FeatureTable table = FeatureTable.read(data, prep.features(), prep.target());
        float[][] outputs;
        try (Sequential net = bundle.model()) {
            outputs = net.predict(prep.standardizer().transform(table.x()));
        }
        Predictions predictions = Predictions.of(prep, outputs);
        // with --out the table goes to the file and the messages to stdout; without, the table owns stdout
        PrintStream messages = out == null ? System.err : console;
        if (out == null) {
            Writer w = new OutputStreamWriter(console, StandardCharsets.UTF_8);
            predictions.writeCsv(w);
            w.flush();
        } else {
            writeAtomically(predictions, out);
            messages.println("Wrote " + outputs.length + " predictions of '" + prep.target() + "' to " + out);
        }
        if (table.target() != null) {
            messages.println("Compared with the column '" + prep.target() + "' in " + data + ": " + predictions.score(table.target()));
        }
        return Main.OK;
    }

    /** Writes to a temporary file beside {@code file}, then renames it: a reader never sees half a table. */
    private static void writeAtomically(Predictions predictions, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".partial");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                predictions.writeCsv(w);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The model's outputs turned back into the target's terms: values, or classes with their probabilities. */
    record Predictions(Preprocessing prep, float[][] outputs) {
        static Predictions of(Preprocessing prep, float[][] outputs) {
            return new Predictions(prep, outputs);
        }

        /** The predicted value (regression) or class label (classification) of row {@code r}. */
        float predicted(int r) {
            switch (prep.taskKind()) {
                case BINARY:
                    return prep.classes()[outputs[r][0] > 0.5f ? 1 : 0];
                case MULTICLASS:
                    return prep.classes()[argmax(outputs[r])];
                default:
                    return outputs[r][0];
            }
        }

        void writeCsv(Writer w) throws IOException {
            Task task = prep.taskKind();
            List<String> header = new ArrayList<>();
            header.add("predicted_" + prep.target());
            if (task == Task.BINARY) {
                header.add("probability_" + ClassLabels.format(prep.classes()[1]));
            } else if (task == Task.MULTICLASS) {
                for (float c : prep.classes()) {
                    header.add("probability_" + ClassLabels.format(c));
                }
            }
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            csv.printRecord(header);
            for (int r = 0; r < outputs.length; r++) {
                List<String> row = new ArrayList<>();
                float p = predicted(r);
                row.add(task.isClassification() ? ClassLabels.format(p) : Float.toString(p));
                if (task.isClassification()) {
                    for (float v : outputs[r]) {
                        row.add(String.format(Locale.ROOT, "%.6f", v));
                    }
                }
                csv.printRecord(row);
            }
            csv.flush();
        }

        /** Accuracy for classes, mean absolute error and its root-mean-square twin for numbers. */
        String score(float[] actual) {
            if (prep.taskKind().isClassification()) {
                int right = 0;
                for (int r = 0; r < actual.length; r++) {
                    right += predicted(r) == actual[r] ? 1 : 0;
                }
                return String.format(Locale.ROOT, "accuracy: %.4f (%d of %d rows right)", (double) right / actual.length, right, actual.length);
            }
            double abs = 0;
            double sq = 0;
            for (int r = 0; r < actual.length; r++) {
                double d = predicted(r) - actual[r];
                abs += Math.abs(d);
                sq += d * d;
            }
            return String.format(Locale.ROOT, "mae: %.4f - rmse: %.4f (%d rows)", abs / actual.length, Math.sqrt(sq / actual.length), actual.length);
        }

        private static int argmax(float[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            return best;
        }
    }
}
