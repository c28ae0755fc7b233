package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.conformance.TrainingBehaviourTest;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Dataset;
import dev.lamina.data.Standardizer;
import dev.lamina.layers.Dense;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;

/**
 * The same seeded model trained on the CPU and on CUDA gives the same loss history within float
 * tolerance: a regression (SGD, MSE), a 10-class classifier (Adam, softmax, sparse categorical
 * cross-entropy) and a binary classifier (sigmoid, binary cross-entropy). Weights start identical
 * (initialised on the host) and batches come in the same order; only the order of float sums
 * differs, so the histories drift apart slowly. The largest difference is printed for the report.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CpuVsCudaTrainingTest {
    private static final int EPOCHS = 5;
    /** Relative difference allowed between the CPU's and CUDA's loss in any epoch. */
    private static final double TOLERANCE = 2e-3;

    @AfterEach
    void restoreDefault() {
        Backends.use("auto");
    }

    @Test
    void concreteRegressionWithSgd() {
        // strengths in tens of MPa: with raw MPa (losses near 900) plain SGD is chaotic enough that
        // float rounding alone changes the history by percents within a few epochs
        Dataset raw = TrainingBehaviourTest.concrete()[0];
        float[][] y = new float[raw.rows()][];
        for (int i = 0; i < y.length; i++) {
            y[i] = new float[] {raw.y()[i][0] / 10f};
        }
        Dataset d = new Dataset(raw.x(), y, raw.featureNames(), raw.targetName());
        compare("concrete 8-64-64-1 sgd mse", () -> {
            Sequential m = new Sequential(new Dense(64, "relu"), new Dense(64, "relu"), new Dense(1));
            m.compile("sgd", "mse");
            return m;
        }, d);
    }

    @Test
    void digitsClassifierWithAdam() {
        Dataset d = standardised(CsvReader.read(TrainingBehaviourTest.data("digits_8x8.csv"), "digit").shuffled(1).head(600));
        compare("digits 64-32-10 adam sparse_categorical_crossentropy", () -> {
            Sequential m = new Sequential(new Dense(32, "relu"), new Dense(10, "softmax"));
            m.compile("adam", "sparse_categorical_crossentropy");
            return m;
        }, d);
    }

    @Test
    void breastCancerBinaryClassifier() {
        Dataset d = standardised(CsvReader.read(TrainingBehaviourTest.data("breast_cancer_wisconsin.csv"), "malignant").shuffled(2));
        compare("breast cancer 30-16-1 adam binary_crossentropy", () -> {
            Sequential m = new Sequential(new Dense(16, "tanh"), new Dense(1, "sigmoid"));
            m.compile("adam", "binary_crossentropy");
            return m;
        }, d);
    }

    private static Dataset standardised(Dataset d) {
        Standardizer s = Standardizer.fit(d.x());
        return new Dataset(s.transform(d.x()), d.y(), d.featureNames(), d.targetName());
    }

    private void compare(String what, Supplier<Sequential> model, Dataset data) {
        CudaTestSupport.assumeUsable();
        double[] cpu = train("cpu", model, data);
        double[] cuda = train("cuda", model, data);
        assertEquals(cpu.length, cuda.length);
        double largest = 0;
        for (int i = 0; i < cpu.length; i++) {
            largest = Math.max(largest, Math.abs(cpu[i] - cuda[i]) / Math.max(1e-6, Math.abs(cpu[i])));
        }
        System.out.printf(Locale.ROOT, "[%s] %s: cpu %s%n    cuda %s%n    largest relative difference %.3g%n",
                CudaTestSupport.mode(), what, Arrays.toString(cpu), Arrays.toString(cuda), largest);
        assertTrue(largest <= TOLERANCE, what + ": loss histories differ by " + largest + " (relative); cpu "
                + Arrays.toString(cpu) + ", cuda " + Arrays.toString(cuda));
        assertTrue(cuda[cuda.length - 1] < cuda[0], what + ": training on CUDA lowers the loss");
    }

    private static double[] train(String backend, Supplier<Sequential> model, Dataset data) {
        Backends.use(backend);
        try (Sequential m = model.get()) {
            m.setSeed(7);
            return m.fit(data.x(), data.y(), new FitOptions().epochs(EPOCHS).batchSize(32).verbose(0).seed(7)).get("loss");
        }
    }
}
