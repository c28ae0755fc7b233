package dev.lamina.bench;

import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.layers.Dense;
import java.util.Random;

/**
 * The three reference models of issue 7, built on a chosen backend, with synthetic data of their
 * shape (Gaussian inputs; Gaussian regression targets, or uniform class indices for (c)). Speed does
 * not depend on the values, so synthetic data measures the same work as MNIST would, without a file.
 * <ul>
 *   <li>a: 8→4(relu)→4(relu)→1, sgd, mse, batch 32 (the lesson; all framework overhead)</li>
 *   <li>b: 8→512→512→512(relu)→1, adam, mse, batch 256</li>
 *   <li>c: 784→512→512(relu)→10 softmax, adam, sparse categorical cross-entropy, batch 128 (MNIST's shape)</li>
 * </ul>
 */
enum ReferenceModel {
    A(8, 32, 0, "8→4→4→1 sgd mse"),
    B(8, 256, 0, "8→512→512→512→1 adam mse"),
    C(784, 128, 10, "784→512→512→10 adam sparse CE");

    final int inputs;
    final int batch;
    /** Classes of a sparse target; 0 for a regression target. */
    final int classes;
    final String description;

    ReferenceModel(int inputs, int batch, int classes, String description) {
        this.inputs = inputs;
        this.batch = batch;
        this.classes = classes;
        this.description = description;
    }

    static ReferenceModel of(String letter) {
        try {
            return valueOf(letter.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown model " + letter + "; use a, b or c", e);
        }
    }

    String letter() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A compiled model, built (weights initialised, seed 7) on {@code backend}. */
    Sequential build(Backend backend) {
        Sequential net;
        switch (this) {
            case A:
                net = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1));
                net.compile("sgd", "mse");
                break;
            case B:
                net = new Sequential(new Dense(512), new Dense(512), new Dense(512, "relu"), new Dense(1));
                net.compile("adam", "mse");
                break;
            default:
                net = new Sequential(new Dense(512), new Dense(512, "relu"), new Dense(10, "softmax"));
                net.compile("adam", "sparse_categorical_crossentropy");
                break;
        }
        net.setSeed(7);
        net.build(inputs, backend);
        return net;
    }

    /** Inputs for {@code steps} full batches. */
    float[][] inputs(int steps) {
        Random random = new Random(7);
        float[][] x = new float[batch * steps][inputs];
        for (float[] row : x) {
            for (int j = 0; j < inputs; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    /** Targets for {@code steps} full batches: one column, a value or a class index. */
    float[][] targets(int steps) {
        Random random = new Random(8);
        float[][] y = new float[batch * steps][1];
        for (float[] row : y) {
            row[0] = classes > 0 ? random.nextInt(classes) : (float) random.nextGaussian();
        }
        return y;
    }
}
