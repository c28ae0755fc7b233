package dev.lamina.examples;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.data.Dataset;
import dev.lamina.layers.Dense;
import java.util.Locale;

/** Lesson 3, "Stochastic Gradient Descent": Adam on minibatches of 256, and the loss curve epoch by epoch. */
public final class Lesson3StochasticGradientDescent {
    private Lesson3StochasticGradientDescent() {
    }

    public static void main(String[] args) {
        Dataset[] d = ExampleData.load("concrete.csv", "compressive_strength", true);
        try (Sequential model = new Sequential(new Dense(128, "relu"), new Dense(64, "relu"), new Dense(1))) {
            model.compile("adam", "mae");
            History h = model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(40).batchSize(256)
                    .validationData(d[1].x(), d[1].y()).verbose(0).seed(3));
            double[] loss = h.get("loss");
            double[] val = h.get("val_loss");
            System.out.println("epoch  loss (MAE)  val_loss");
            for (int e = 0; e < loss.length; e++) {
                System.out.printf(Locale.ROOT, "%5d  %10.3f  %8.3f  %s%n", e + 1, loss[e], val[e], "#".repeat((int) Math.min(60, loss[e])));
            }
        }
    }
}
