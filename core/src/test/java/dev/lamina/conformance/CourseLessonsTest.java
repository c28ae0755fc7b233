package dev.lamina.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import dev.lamina.data.Standardizer;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Input;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The six lessons of Kaggle's "Intro to Deep Learning", on the course's kinds of real data, as
 * tests of a backend: each backend module subclasses this with its backend's name.
 */
public abstract class CourseLessonsTest {
    protected abstract String backendName();

    @BeforeEach
    void chooseBackend() {
        Backends.use(backendName());
    }

    @AfterEach
    void restoreDefault() {
        Backends.use("auto");
    }

    /** A data set shuffled with a fixed seed and split 80/20, features standardised on the training part. */
    static Dataset[] standardised(String file, String target) {
        Dataset all = CsvReader.read(TrainingBehaviourTest.data(file), target).shuffled(0);
        Dataset[] parts = all.split(0.8);
        Standardizer s = Standardizer.fit(parts[0].x());
        return new Dataset[] {
            new Dataset(s.transform(parts[0].x()), parts[0].y(), all.featureNames(), all.targetName()),
            new Dataset(s.transform(parts[1].x()), parts[1].y(), all.featureNames(), all.targetName())};
    }

    /** Lesson 1, a single neuron: y = w·x + b; with w = 2, b = 1 the unit outputs 9 for 4, and its weights can be read back. */
    @Test
    void lesson1ALinearUnit() {
        Dense unit = new Dense(1);
        try (Sequential model = new Sequential(new Input(1), unit)) {
            model.build(1);
            unit.setWeights(new float[][] {{2f}}, new float[] {1f});
            assertEquals(9f, model.predict(new float[][] {{4f}})[0][0], 0f);
            assertEquals(2f, unit.getKernel()[0][0], 0f);
            assertEquals(1f, unit.getBias()[0], 0f);
        }
    }

    /** Lesson 2, deep networks: hidden layers with activations as their own layers; layerOutputs shows each step. */
    @Test
    void lesson2ADeepNetwork() {
        Dataset train = standardised("concrete.csv", "compressive_strength")[0];
        try (Sequential model = new Sequential(new Dense(32), new Activation("relu"), new Dense(32), new Activation("relu"),
                new Dense(1))) {
            model.build(8);
            List<float[][]> outputs = model.layerOutputs(Arrays.copyOf(train.x(), 5));
            assertEquals(5, outputs.size());
            for (float v : outputs.get(1)[0]) {
                assertTrue(v >= 0, "relu outputs are non-negative");
            }
            assertTrue(model.summary().contains("activation_1 (Activation)"));
        }
    }

    /** Lesson 3, stochastic gradient descent: Adam on minibatches of 256 lowers the loss curve epoch by epoch. */
    @Test
    void lesson3StochasticGradientDescent() {
        Dataset train = standardised("concrete.csv", "compressive_strength")[0];
        try (Sequential model = new Sequential(new Dense(128, "relu"), new Dense(64, "relu"), new Dense(1))) {
            model.compile("adam", "mae");
            History h = model.fit(train.x(), train.y(), new FitOptions().epochs(40).batchSize(256).verbose(0).seed(3));
            double[] loss = h.get("loss");
            assertEquals(40, loss.length);
            assertTrue(loss[39] < loss[0] / 3, "the loss curve falls: " + Arrays.toString(loss));
        }
    }

    /**
     * Lesson 4, overfitting: a large network on few rows overfits; EarlyStopping(minDelta 0.001,
     * patience 20, restoreBestWeights) stops it early and restores the best epoch's weights.
     */
    @Test
    void lesson4EarlyStoppingStopsAndRestoresTheBestWeights() {
        Dataset[] d = standardised("concrete.csv", "compressive_strength");
        Dataset few = d[0].head(80);
        EarlyStopping early = new EarlyStopping().minDelta(0.001).patience(20).restoreBestWeights(true);
        try (Sequential model = new Sequential(new Dense(256, "relu"), new Dense(256, "relu"), new Dense(1))) {
            model.compile("adam", "mse");
            History h = model.fit(few.x(), few.y(), new FitOptions().epochs(500).batchSize(256)
                    .validationData(d[1].x(), d[1].y()).callbacks(early).verbose(0).seed(4));
            double[] val = h.get("val_loss");
            assertTrue(val.length < 500, "stopped early, after " + val.length + " epochs");
            int best = 0;
            for (int i = 1; i < val.length; i++) {
                if (val[i] < val[best] - 0.001) {
                    best = i;
                }
            }
            assertEquals(best, early.bestEpoch());
            assertEquals(best + 20, val.length - 1, "patience of 20 epochs after the best");
            double now = model.evaluate(d[1].x(), d[1].y()).get("loss");
            assertEquals(val[best], now, 1e-4 * val[best], "the best epoch's weights are restored");
            assertTrue(h.get("loss")[val.length - 1] < val[val.length - 1], "training loss below validation loss: overfitting");
        }
    }

    /** Lesson 5, dropout and batch normalization: they let a wide network on raw (unscaled) features reach a lower validation loss. */
    @Test
    void lesson5DropoutAndBatchNormalization() {
        Dataset all = CsvReader.read(TrainingBehaviourTest.data("concrete.csv"), "compressive_strength").shuffled(0);
        Dataset[] d = all.split(0.8);
        FitOptions options = new FitOptions().epochs(40).batchSize(64).validationData(d[1].x(), d[1].y()).verbose(0).seed(5);
        double plain;
        try (Sequential model = new Sequential(new Dense(256, "relu"), new Dense(256, "relu"), new Dense(1))) {
            model.compile("sgd", "mae");
            plain = last(model.fit(d[0].x(), d[0].y(), options).get("val_loss"));
        }
        double normalised;
        try (Sequential model = new Sequential(new BatchNormalization(),
                new Dense(256, "relu"), new BatchNormalization(), new Dropout(0.3),
                new Dense(256, "relu"), new BatchNormalization(), new Dropout(0.3),
                new Dense(1))) {
            model.compile("sgd", "mae");
            normalised = last(model.fit(d[0].x(), d[0].y(), options).get("val_loss"));
            // dropout is off and batch norm uses its moving statistics in predict: the same input gives the same output
            float[][] a = model.predict(Arrays.copyOf(d[1].x(), 3));
            float[][] b = model.predict(Arrays.copyOf(d[1].x(), 3));
            assertEquals(a[2][0], b[2][0], 0f);
        }
        assertTrue(Double.isFinite(normalised) && (normalised < plain || !Double.isFinite(plain)),
                "validation MAE with batch norm and dropout " + normalised + " vs without " + plain);
    }

    private static double last(double[] v) {
        return v[v.length - 1];
    }

    /** Lesson 6, binary classification: sigmoid + binary_crossentropy + binary_accuracy reach ≥ 0.95 on breast-cancer data. */
    @Test
    void lesson6BinaryClassification() {
        Dataset[] d = standardised("breast_cancer_wisconsin.csv", "malignant");
        try (Sequential model = new Sequential(new Dense(16, "relu"), new Dense(16, "relu"), new Dense(1, "sigmoid"))) {
            model.compile("adam", "binary_crossentropy", "binary_accuracy");
            History h = model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(60).batchSize(64)
                    .validationData(d[1].x(), d[1].y()).verbose(0).seed(6));
            double acc = last(h.get("val_binary_accuracy"));
            assertTrue(acc >= 0.95, "validation accuracy " + acc);
            Map<String, Double> scores = model.evaluate(d[1].x(), d[1].y());
            assertEquals(acc, scores.get("binary_accuracy"), 1e-9);
        }
    }

    /** Multiclass: softmax + sparse_categorical_crossentropy reach ≥ 0.95 validation accuracy on the 8x8 digits. */
    @Test
    void digitsMulticlassClassification() {
        Dataset[] d = standardised("digits_8x8.csv", "digit");
        try (Sequential model = new Sequential(new Dense(64, "relu"), new Dense(64, "relu"), new Dense(10, "softmax"))) {
            model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            History h = model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(30).batchSize(32)
                    .validationData(d[1].x(), d[1].y()).verbose(0).seed(7));
            double acc = last(h.get("val_accuracy"));
            assertTrue(acc >= 0.95, "validation accuracy " + acc);
        }
    }
}
