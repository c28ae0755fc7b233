package dev.lamina;

import dev.lamina.internal.DeviceData;

/**
 * Training or validation rows uploaded once to a model's backend (GPU memory with CUDA, the Java
 * heap with the CPU backend), for {@code fit} and {@code evaluate} to use again and again: a
 * {@code fit(float[][] x, ...)} copies its rows at every call, this does it once, as a cached
 * {@code tf.data} pipeline or a tensor kept on the GPU in PyTorch. Useful when fit is called many
 * times on the same rows (a training loop of one-epoch fits, a benchmark): those calls then
 * allocate nothing per training step.
 *
 * <pre>{@code
 * try (PreparedData train = model.prepare(x, y)) {
 *     for (int round = 0; round < 10; round++) {
 *         model.fit(train, new FitOptions().epochs(1));
 *     }
 * }
 * }</pre>
 *
 * Made by {@link Sequential#prepare} and bound to that model (its backend, input width and loss);
 * the rows are checked when prepared. The caller's arrays are copied, so changing them later does
 * not change the prepared rows. Close it to free the memory; a closed one is refused.
 */
public final class PreparedData implements AutoCloseable {
    private final Sequential owner;
    private final DeviceData data;
    private boolean closed;

    PreparedData(Sequential owner, DeviceData data) {
        this.owner = owner;
        this.data = data;
    }

    /** The number of rows (samples). */
    public int rows() {
        return data.rows;
    }

    /** The rows, for {@code model}; refuses another model's data and closed data with what to do. */
    DeviceData dataFor(Sequential model, String what) {
        if (closed) {
            throw new LaminaException(what + " was closed; prepare the rows again with model.prepare(x, y).");
        }
        if (model != owner) {
            throw new LaminaException(what + " was prepared by model '" + owner.name() + "', not by this one; prepared rows "
                    + "are checked against and kept for the model that prepared them. Call prepare(x, y) on this model.");
        }
        return data;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            data.close();
        }
    }
}
