package dev.lamina.cuda.gpucheck;

import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.layers.Dense;
import java.util.Random;

/**
 * The three reference models of the benchmarks (docs/BENCHMARKS.md), with synthetic data of their
 * shape: (a) 8→4→4→1 sgd mse, (b) 8→512→512→512→1 adam mse, (c) 784→512→512→10 softmax adam sparse
 * categorical cross-entropy (MNIST's shape). Same architectures as the benchmarks module's
 * {@code ReferenceModel}, which the CUDA module cannot depend on.
 */
enum ReferenceModels {
    A(8, 0, "8→4→4→1 sgd mse"),
    B(8, 0, "8→512→512→512→1 adam mse"),
    C(784, 10, "784→512→512→10 adam sparse CE");

    final int inputs;
    final int classes;
    final String description;

    ReferenceModels(int inputs, int classes, String description) {
        this.inputs = inputs;
        this.classes = classes;
        this.description = description;
    }

    String letter() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Compiled and built on {@code backend}, weights from seed 7. */
    Sequential build(Backend backend) {
        Sequential net;
        switch (this) {
            case A -> {
                net = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1));
                net.compile("sgd", "mse");
            }
            case B -> {
                net = new Sequential(new Dense(512), new Dense(512), new Dense(512, "relu"), new Dense(1));
                net.compile("adam", "mse");
            }
            default -> {
                net = new Sequential(new Dense(512), new Dense(512, "relu"), new Dense(10, "softmax"));
                net.compile("adam", "sparse_categorical_crossentropy");
            }
        }
        net.setSeed(7);
        net.build(inputs, backend);
        return net;
    }

    /** {@code rows} Gaussian input rows (seeded). */
    float[][] inputs(int rows) {
        Random random = new Random(7);
        float[][] x = new float[rows][inputs];
        for (float[] row : x) {
            for (int j = 0; j < inputs; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    /**
     * Targets with something to learn: for (a) and (b) a fixed linear function of the inputs plus
     * noise, for (c) the class of the largest of the first ten inputs.
     */
    float[][] targets(float[][] x) {
        Random random = new Random(8);
        float[][] y = new float[x.length][1];
        for (int i = 0; i < x.length; i++) {
            if (classes > 0) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (x[i][c] > x[i][best]) {
                        best = c;
                    }
                }
                y[i][0] = best;
            } else {
                float v = 0;
                for (int j = 0; j < inputs; j++) {
                    v += x[i][j] * ((j % 3) - 1) * 0.5f;
                }
                y[i][0] = v + 0.1f * (float) random.nextGaussian();
            }
        }
        return y;
    }
}
