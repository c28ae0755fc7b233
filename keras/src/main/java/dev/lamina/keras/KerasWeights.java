package dev.lamina.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The arrays read from a Keras file, before any reach a model: per layer its weights, and the optimizer's variables. */
final class KerasWeights {
    /** One array: its shape as stored (vectors 1-D) and its values, row-major. */
    static final class Array {
        final String name;
        final long[] shape;
        final float[] values;

        Array(String name, long[] shape, float[] values) {
            this.name = name;
            this.shape = shape;
            this.values = values;
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    /** Per Lamina layer (in order), its weights in Keras' order (kernel, bias / gamma, beta, moving mean and variance). */
    final List<List<Array>> layers = new ArrayList<>();
    /** The optimizer's step count; 0 when the file has no optimizer state. */
    long iterations;
    /**
     * The optimizer's slot arrays: for each trainable weight in model order, its slots in the optimizer's
     * order (Adam: momentum, velocity). Empty when the file has none.
     */
    final List<Array> optimizerSlots = new ArrayList<>();
}
