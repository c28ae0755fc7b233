package dev.lamina.examples;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.data.Dataset;
import dev.lamina.layers.Dense;
import java.util.Locale;

/** Lesson 6, "Binary Classification": sigmoid + binary_crossentropy + binary_accuracy on the breast-cancer data. */
public final class Lesson6BinaryClassification {
    private Lesson6BinaryClassification() {
    }

    public static void main(String[] args) {
        Dataset[] d = ExampleData.load("breast_cancer_wisconsin.csv", "malignant", true);
        try (Sequential model = new Sequential(new Dense(16, "relu"), new Dense(16, "relu"), new Dense(1, "sigmoid"))) {
            model.compile("adam", "binary_crossentropy", "binary_accuracy");
            History h = model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(200).batchSize(64)
                    .validationData(d[1].x(), d[1].y()).verbose(2).seed(6)
                    .callbacks(new EarlyStopping().minDelta(0.001).patience(10).restoreBestWeights(true)));
            System.out.printf(Locale.ROOT, "best val_loss %.4f; validation accuracy %.3f%n",
                    java.util.Arrays.stream(h.get("val_loss")).min().orElse(Double.NaN),
                    model.evaluate(d[1].x(), d[1].y()).get("binary_accuracy"));
        }
    }
}
