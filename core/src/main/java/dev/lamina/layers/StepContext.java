package dev.lamina.layers;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;

/**
 * What a layer needs to run a forward or backward pass besides its input: the backend, scratch
 * buffers, whether this is training, and a seed and step counter for random layers (dropout).
 */
public final class StepContext {
    private final Backend backend;
    private final Scratch scratch;
    private boolean training;
    private long seed;
    private long step;
    private int layerIndex;

    public StepContext(Backend backend, Scratch scratch) {
        this.backend = backend;
        this.scratch = scratch;
    }

    public Backend backend() {
        return backend;
    }

    public Scratch scratch() {
        return scratch;
    }

    public boolean training() {
        return training;
    }

    public void training(boolean training) {
        this.training = training;
    }

    public long seed() {
        return seed;
    }

    public void seed(long seed) {
        this.seed = seed;
    }

    /** Counts training steps, so random masks differ from step to step. */
    public long step() {
        return step;
    }

    public void step(long step) {
        this.step = step;
    }

    /** The position in the model of the layer being run, so random layers draw different numbers. */
    public int layerIndex() {
        return layerIndex;
    }

    public void layerIndex(int layerIndex) {
        this.layerIndex = layerIndex;
    }
}
