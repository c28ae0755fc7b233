package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Parameters(index = "0", paramLabel = "MODEL", description = "The directory lamina train wrote (--out), or the model file in it, "
            + "or a Keras .keras / .h5 file of a model that takes the table's numeric columns as they are.")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA.csv", description = "The rows to predict (.csv or .csv.gz).")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the predictions to FILE (default: print them).")
    Path out;

    @Option(names = "--target", paramLabel = "COLUMN", description = "For a Keras file without lamina train's preprocessing: the "
            + "column to compare with, left out of the features (the other columns are the features, as they are).")
    String target;

    @Option(names = "--backend", description = "auto, cpu or cuda (default: LAMINA_BACKEND or -Dlamina.backend when set, else auto:"
            + " CUDA when a usable GPU is found).")
    String backend;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws IOException {
        if (backend != null) {
            Backends.use(backend); // otherwise Backends reads -Dlamina.backend, LAMINA_BACKEND, then auto
        }
        if (out != null && Files.isDirectory(out)) {
            throw new LaminaException("--out " + out + " is a directory; give a file name such as predictions.csv.");
        }
        if (out != null) {
            StagedOutput.probeWritable(out.toAbsolutePath().getParent(), "--out " + out);
        }
        ModelBundle bundle = ModelBundle.read(model);
        if (bundle.preprocessing() == null) {
            try (Sequential net = bundle.model()) {
                return RawPredictions.run(net, data, target, out, console);
            }
        }
        Preprocessing prep = bundle.preprocessing();
        FeatureTable table = FeatureTable.read(data, prep.features(), prep.target());
        float[][] outputs;
        try (Sequential net = bundle.model()) {
            outputs = net.predict(prep.standardizer().transform(table.x()));
        }
        Predictions predictions = new Predictions(prep, outputs);
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
        AtomicFiles.write(file, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                predictions.writeCsv(w);
            }
        });
    }
}
