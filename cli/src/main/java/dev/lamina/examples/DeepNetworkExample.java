package dev.lamina.examples;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import dev.lamina.data.Standardizer;
import dev.lamina.layers.Dense;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The course's deep-network lesson on its regression data set: predict the compressive strength of
 * concrete from its mixture, with three hidden layers of 512 ReLU units trained by Adam.
 */
public final class DeepNetworkExample {
    private DeepNetworkExample() {
    }

    public static void main(String[] args) {
        Path file = args.length > 0 ? Path.of(args[0]) : ExampleData.file("concrete.csv");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Dataset all = CsvReader.read(file, "compressive_strength").shuffled(0);
        Dataset[] parts = all.split(0.8);
        Standardizer scale = Standardizer.fit(parts[0].x());       // statistics from the training rows only
        float[][] xTrain = scale.transform(parts[0].x());
        float[][] xValid = scale.transform(parts[1].x());

        Sequential model = new Sequential(
                new Dense(512, "relu"),
                new Dense(512, "relu"),
                new Dense(512, "relu"),
                new Dense(1));
        model.compile("adam", "mse", "mae");
        History history = model.fit(xTrain, parts[0].y(), new FitOptions().epochs(epochs).batchSize(32)
                .validationData(xValid, parts[1].y()).seed(42));
        System.out.println(model.summary());
        System.out.println("Backend: " + model.backend().description());
        Map<String, Double> scores = model.evaluate(xValid, parts[1].y());
        System.out.printf(Locale.ROOT, "Validation: loss (MSE) %.2f, MAE %.2f MPa after %d epochs%n",
                scores.get("loss"), scores.get("mae"), history.epochs());
        model.close();
    }
}
