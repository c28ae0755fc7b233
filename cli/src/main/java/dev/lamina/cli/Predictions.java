package dev.lamina.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The model's outputs turned back into the target's terms: values, or classes with their probabilities. */
record Predictions(Preprocessing prep, float[][] outputs) {

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
