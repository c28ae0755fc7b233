package com.example;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import dev.lamina.data.Standardizer;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Input;
import dev.lamina.optimizers.Adam;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Loads a CSV, standardises its features, trains a small network and reports the validation error. */
public final class ConcreteStrength {
    private ConcreteStrength() {
    }

    public static void main(String[] args) {
        Path csv = Path.of(args.length > 0 ? args[0] : "../../data/concrete.csv");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Double> scores = train(csv, epochs);
        System.out.printf(Locale.ROOT, "validation mae: %.2f MPa%n", scores.get("mae"));
    }

    static Map<String, Double> train(Path csv, int epochs) {
        Dataset all = CsvReader.read(csv, "compressive_strength").shuffled(0);
        Dataset[] parts = all.split(0.8);
        Standardizer scale = Standardizer.fit(parts[0].x());       // statistics of the training rows only
        float[][] xTrain = scale.transform(parts[0].x());
        float[][] xValid = scale.transform(parts[1].x());
        try (Sequential model = new Sequential(new Input(xTrain[0].length),
                new Dense(64, "relu"), new Dense(64, "relu"), new Dense(1))) {
            System.out.print(model.summary());
            model.compile(new Adam(0.01f), "mse", "mae");
            History history = model.fit(xTrain, parts[0].y(), new FitOptions().epochs(epochs)
                    .validationData(xValid, parts[1].y()).verbose(2).seed(42));
            System.out.println("backend: " + model.backend().description().lines().findFirst().orElse("")
                    + "; epochs: " + history.epochs());
            return model.evaluate(xValid, parts[1].y());
        }
    }
}
