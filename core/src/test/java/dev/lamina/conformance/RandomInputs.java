package dev.lamina.conformance;

import dev.lamina.backend.LossKind;
import java.util.Random;

/**
 * Random inputs shared by the conformance and property suites: uniform values, and what a loss
 * accepts: predictions (probabilities in (0, 1) for the losses that take them, else any value) and
 * targets in the loss's own form (class indices, 0/1, one-hot rows or values).
 */
final class RandomInputs {
    private RandomInputs() {
    }

    static float[] lossPredictions(LossKind kind, int n, Random random) {
        boolean probabilities = kind == LossKind.BINARY_CROSSENTROPY || kind == LossKind.CATEGORICAL_CROSSENTROPY
                || kind == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY;
        return probabilities ? uniform(n, 0.001f, 0.999f, random) : uniform(n, -3, 3, random);
    }

    static float[] lossTargets(LossKind kind, int rows, int cols, Random random) {
        int n = rows * cols;
        float[] target;
        if (kind.sparse()) {
            target = new float[rows];
            for (int i = 0; i < rows; i++) {
                target[i] = random.nextInt(cols);
            }
        } else if (kind == LossKind.BINARY_CROSSENTROPY || kind == LossKind.BINARY_CROSSENTROPY_FROM_LOGITS) {
            target = new float[n];
            for (int i = 0; i < n; i++) {
                target[i] = random.nextBoolean() ? 1 : 0;
            }
        } else if (kind == LossKind.CATEGORICAL_CROSSENTROPY || kind == LossKind.CATEGORICAL_CROSSENTROPY_FROM_LOGITS) {
            target = new float[n];
            for (int i = 0; i < rows; i++) {
                target[i * cols + random.nextInt(cols)] = 1;
            }
        } else {
            target = uniform(n, -3, 3, random);
        }
        return target;
    }

    /** {@code n} values uniform in [lo, hi), as the suites draw them. */
    static float[] uniform(int n, float lo, float hi, Random random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextFloat();
        }
        return v;
    }
}
