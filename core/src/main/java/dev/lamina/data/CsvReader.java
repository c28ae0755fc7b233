package dev.lamina.data;

import dev.lamina.LaminaException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a numeric CSV table with a header row (optionally gzip-compressed, by the ".gz" suffix)
 * into a {@link Dataset}, through {@link CsvTable}: every problem is reported with the file, line
 * and column.
 */
public final class CsvReader {
    private CsvReader() {
    }

    /** Reads {@code file}; {@code target} names the target column (null: the last column). */
    public static Dataset read(Path file, String target) {
        CommonsCsv.require();
        try (CsvTable table = CsvTable.open(file)) {
            return read(table, target);
        }
    }

    /** Reads a CSV stream; {@code source} names it in error messages. */
    public static Dataset read(InputStream in, String source, String target) {
        CommonsCsv.require();
        try (CsvTable table = CsvTable.open(in, source)) {
            return read(table, target);
        }
    }

    private static Dataset read(CsvTable table, String target) {
        List<String> header = table.header();
        if (header.size() < 2) {
            throw new LaminaException(table.source() + " has only one column (" + header.get(0)
                    + "); expected feature columns and a target column, comma-separated.");
        }
        int targetIndex = target == null ? header.size() - 1 : table.column(target);
        if (targetIndex < 0) {
            throw table.noColumn(target, "");
        }
        List<String> features = new ArrayList<>(header);
        features.remove(targetIndex);
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        for (CsvTable.Row record : table) {
            float[] row = new float[features.size()];
            float label = 0;
            for (int c = 0, f = 0; c < header.size(); c++) {
                float v = record.number(c);
                if (c == targetIndex) {
                    label = v;
                } else {
                    row[f++] = v;
                }
            }
            xs.add(row);
            ys.add(new float[] {label});
        }
        if (xs.isEmpty()) {
            throw new LaminaException(table.source() + " has a header but no data rows.");
        }
        return new Dataset(xs.toArray(new float[0][]), ys.toArray(new float[0][]), features, header.get(targetIndex));
    }
}
