package dev.lamina.examples;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.data.Dataset;
import dev.lamina.layers.Dense;
import java.util.Locale;

/**
 * Lesson 4, "Overfitting and Underfitting": a large network on few rows overfits; EarlyStopping
 * (minDelta 0.001, patience 20, restoreBestWeights) stops it and puts the best epoch's weights back.
 */
public final class Lesson4EarlyStopping {
    private Lesson4EarlyStopping() {
    }

    public static void main(String[] args) {
        Dataset[] d = ExampleData.load("concrete.csv", "compressive_strength", true);
        Dataset few = d[0].head(80);
        EarlyStopping early = new EarlyStopping().minDelta(0.001).patience(20).restoreBestWeights(true).verbose(true);
        try (Sequential model = new Sequential(new Dense(256, "relu"), new Dense(256, "relu"), new Dense(1))) {
            model.compile("adam", "mse");
            History h = model.fit(few.x(), few.y(), new FitOptions().epochs(500).batchSize(256)
                    .validationData(d[1].x(), d[1].y()).callbacks(early).verbose(0).seed(4));
            System.out.printf(Locale.ROOT, "Trained %d of 500 epochs; best val_loss %.2f at epoch %d; now %.2f%n",
                    h.epochs(), early.best(), early.bestEpoch() + 1, model.evaluate(d[1].x(), d[1].y()).get("loss"));
        }
    }
}
