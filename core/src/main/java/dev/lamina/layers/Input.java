package dev.lamina.layers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import java.util.Map;

/**
 * Declares the model's input width, as {@code keras.Input(shape=(n,))} at the head of a
 * {@code Sequential}: {@code new Sequential(new Input(8), new Dense(4, "relu"), ...)}. It holds no
 * weights and does not appear in the summary.
 */
public final class Input extends Layer {
    private final int width;

    public Input(int width) {
        if (width <= 0) {
            throw new LaminaException("Input width must be positive, got " + width + ".");
        }
        this.width = width;
    }

    public int width() {
        return width;
    }

    @Override
    public String typeName() {
        return "input";
    }

    @Override
    public int outputWidth(int inputWidth) {
        return width;
    }

    @Override
    protected void allocateBuffers(Backend backend, int rows) {
    }

    @Override
    protected void releaseBuffers() {
    }

    @Override
    public Storage forward(Storage input, int rows, StepContext ctx) {
        throw new UnsupportedOperationException("Input only declares a width");
    }

    @Override
    public Storage backward(Storage input, Storage dOutput, int rows, boolean needInputGradient, StepContext ctx) {
        throw new UnsupportedOperationException("Input only declares a width");
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("width", width);
    }
}
