package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.data.CsvTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows {@code predict} is given: the model's feature columns picked by name (so their order in
 * the file does not matter and extra columns are ignored), and the target column when the file has
 * one. Read through core's {@link CsvTable}, as training data is, so both get the same checks.
 *
 * @param x      the features, in the model's order
 * @param target the target column's values, or null when the file has none
 */
record FeatureTable(float[][] x, float[] target) {

    static FeatureTable read(Path file, List<String> features, String targetName) {
        try (CsvTable table = CsvTable.open(file)) {
            int[] columns = new int[features.size()];
            for (int f = 0; f < columns.length; f++) {
                columns[f] = table.column(features.get(f));
                if (columns[f] < 0) {
                    throw table.noColumn(features.get(f), ", which the model was trained on");
                }
            }
            int targetColumn = table.column(targetName);
            List<float[]> rows = new ArrayList<>();
            List<Float> targets = new ArrayList<>();
            for (CsvTable.Row record : table) {
                float[] row = new float[columns.length];
                for (int f = 0; f < columns.length; f++) {
                    row[f] = record.number(columns[f]);
                }
                rows.add(row);
                if (targetColumn >= 0) {
                    targets.add(record.number(targetColumn));
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
        }
    }
}
