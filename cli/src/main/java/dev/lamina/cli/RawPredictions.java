package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code lamina predict} for a Keras file that came without lamina train's preprocessing: the model
 * takes the table's columns as they are (all of them, but {@code --target}), and the outputs are
 * written as they come: {@code output} or {@code output_0, output_1, ...}.
 */
final class RawPredictions {
    private RawPredictions() {
    }

    static int run(Sequential model, Path data, String target, Path out, PrintStream console) throws IOException {
        List<String> features = new ArrayList<>(header(data));
        if (target != null && !features.remove(target)) {
            throw new LaminaException(data + " has no column '" + target + "' (--target). Its columns are: "
                    + String.join(", ", features) + ".");
        }
        if (features.size() != model.inputWidth()) {
            throw new LaminaException("The model takes " + model.inputWidth() + " inputs but " + data + " has " + features.size()
                    + " feature columns (" + String.join(", ", features) + "). Without lamina train's preprocessing.json the "
                    + "model gets the table's columns as they are: give a table of its " + model.inputWidth() + " inputs"
                    + (target == null ? ", and name a column to compare with by --target" : "") + ".");
        }
        FeatureTable table = FeatureTable.read(data, features, target == null ? "" : target);
        float[][] outputs = model.predict(table.x());
        PrintStream messages = out == null ? System.err : console;
        if (out == null) {
            Writer w = new OutputStreamWriter(console, StandardCharsets.UTF_8);
            write(outputs, w);
            w.flush();
        } else {
            AtomicFiles.write(out, tmp -> {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    write(outputs, w);
                }
            });
            messages.println("Wrote " + outputs.length + " rows of model outputs to " + out);
        }
        if (table.target() != null && outputs[0].length == 1) {
            double abs = 0;
            double sq = 0;
            for (int r = 0; r < outputs.length; r++) {
                double d = outputs[r][0] - table.target()[r];
                abs += Math.abs(d);
                sq += d * d;
            }
            messages.printf(Locale.ROOT, "Compared with the column '%s' in %s: mae: %.4f - rmse: %.4f (%d rows)%n", target, data,
                    abs / outputs.length, Math.sqrt(sq / outputs.length), outputs.length);
        }
        return Main.OK;
    }

    private static List<String> header(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new LaminaException("Data file not found: " + file.toAbsolutePath() + ".");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setHeader().setTrim(true).get())) {
            return parser.getHeaderNames();
        }
    }

    private static void write(float[][] outputs, Writer w) throws IOException {
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
        List<String> header = new ArrayList<>();
        for (int i = 0; i < outputs[0].length; i++) {
            header.add(outputs[0].length == 1 ? "output" : "output_" + i);
        }
        csv.printRecord(header);
        for (float[] row : outputs) {
            List<String> values = new ArrayList<>();
            for (float v : row) {
                values.add(Float.toString(v));
            }
            csv.printRecord(values);
        }
        csv.flush();
    }
}
