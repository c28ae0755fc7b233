package dev.lamina.examples;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.util.Locale;

/** Lesson 5, "Dropout and Batch Normalization": on raw, unscaled features, batch norm and dropout make SGD train. */
public final class Lesson5DropoutBatchNorm {
    private Lesson5DropoutBatchNorm() {
    }

    public static void main(String[] args) {
        Dataset[] d = ExampleData.load("concrete.csv", "compressive_strength", false);
        FitOptions options = new FitOptions().epochs(40).batchSize(64).validationData(d[1].x(), d[1].y()).verbose(0).seed(5);
        try (Sequential plain = new Sequential(new Dense(256, "relu"), new Dense(256, "relu"), new Dense(1));
             Sequential normalised = new Sequential(new BatchNormalization(),
                     new Dense(256, "relu"), new BatchNormalization(), new Dropout(0.3),
                     new Dense(256, "relu"), new BatchNormalization(), new Dropout(0.3),
                     new Dense(1))) {
            plain.compile("sgd", "mae");
            normalised.compile("sgd", "mae");
            double a = plain.fit(d[0].x(), d[0].y(), options).get("val_loss")[39];
            double b = normalised.fit(d[0].x(), d[0].y(), options).get("val_loss")[39];
            System.out.printf(Locale.ROOT, "validation MAE after 40 epochs: without %.2f, with batch norm and dropout %.2f%n", a, b);
        }
    }
}
