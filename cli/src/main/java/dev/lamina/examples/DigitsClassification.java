package dev.lamina.examples;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.layers.Dense;
import java.util.Locale;

/** Ten classes: softmax + sparse_categorical_crossentropy on the 8x8 handwritten digits. */
public final class DigitsClassification {
    private DigitsClassification() {
    }

    public static void main(String[] args) {
        Dataset[] d = ExampleData.load("digits_8x8.csv", "digit", true);
        try (Sequential model = new Sequential(new Dense(64, "relu"), new Dense(64, "relu"), new Dense(10, "softmax"))) {
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(30).validationData(d[1].x(), d[1].y()).seed(7));
            System.out.printf(Locale.ROOT, "validation accuracy %.3f%n", model.evaluate(d[1].x(), d[1].y()).get("accuracy"));
        }
    }
}
