package dev.lamina.layers;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import dev.lamina.backend.Tensor;

/**
 * A trainable (or, for batch-norm statistics, non-trainable) array of a layer: its value and, when
 * trainable, the gradient buffer backward writes into. Optimizer state lives with the optimizer.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;
    private final boolean trainable;
    /** Weight regularisation penalties (Keras kernel_regularizer): λ₁·Σ|w| + λ₂·Σw². */
    private float l1;
    private float l2;

    public Parameter(String name, Backend backend, int rows, int cols, boolean trainable) {
        this.name = name;
        this.value = Tensor.zeros(backend, rows, cols);
        Tensor g = null;
        if (trainable) {
            try {
                g = Tensor.zeros(backend, rows, cols);
            } catch (RuntimeException e) {
                value.close();      // out of device memory: give back the value too
                throw e;
            }
        }
        this.gradient = g;
        this.trainable = trainable;
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Storage storage() {
        return value.storage();
    }

    /** The gradient buffer; null for non-trainable parameters. */
    public Storage gradient() {
        return gradient == null ? null : gradient.storage();
    }

    public boolean trainable() {
        return trainable;
    }

    public int size() {
        return value.size();
    }

    public int rows() {
        return value.rows();
    }

    public int cols() {
        return value.cols();
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }

    void regularize(float l1, float l2) {
        this.l1 = l1;
        this.l2 = l2;
    }

    @Override
    public void close() {
        value.close();
        if (gradient != null) {
            gradient.close();
        }
    }
}
