package dev.lamina.cli;

import dev.lamina.LaminaException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The rows {@code predict} is given: the model's feature columns picked by name (so their order in
 * the file does not matter and extra columns are ignored), and the target column when the file has
 * one. Core's CsvReader needs a target column, which new data usually lacks; hence this reader.
 *
 * @param x      the features, in the model's order
 * @param target the target column's values, or null when the file has none
 */
record FeatureTable(float[][] x, float[] target) {

    static FeatureTable read(Path file, List<String> features, String targetName) {
        if (!Files.isRegularFile(file)) {
            throw new LaminaException("Data file not found: " + file.toAbsolutePath() + ".");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            int[] columns = new int[features.size()];
            for (int f = 0; f < columns.length; f++) {
                columns[f] = header.indexOf(features.get(f));
                if (columns[f] < 0) {
                    throw new LaminaException(file + " has no column '" + features.get(f) + "', which the model was trained on."
                            + " Its columns are: " + String.join(", ", header) + ".");
                }
            }
            int targetColumn = header.indexOf(targetName);
            List<float[]> rows = new ArrayList<>();
            List<Float> targets = new ArrayList<>();
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    throw new LaminaException(file + ", line " + line + ": " + record.size() + " values, but the header has "
                            + header.size() + " columns.");
                }
                float[] row = new float[columns.length];
                for (int f = 0; f < columns.length; f++) {
                    row[f] = number(file, line, features.get(f), record.get(columns[f]));
                }
                rows.add(row);
                if (targetColumn >= 0) {
                    targets.add(number(file, line, targetName, record.get(targetColumn)));
                }
            }
            if (rows.isEmpty()) {
                throw new LaminaException(file + " has a header but no data rows.");
            }
            float[] target = null;
            if (targetColumn >= 0) {
                target = new float[targets.size()];
                for (int i = 0; i < target.length; i++) {
                    target[i] = targets.get(i);
                }
            }
            return new FeatureTable(rows.toArray(new float[0][]), target);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LaminaException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new LaminaException(file + " is not a valid CSV table: " + e.getMessage(), e);
        }
    }

    private static float number(Path file, long line, String column, String text) {
        try {
            float v = Float.parseFloat(text);
            if (Float.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LaminaException(file + ", line " + line + ", column '" + column + "': '" + text + "' is not a finite number.");
    }
}
