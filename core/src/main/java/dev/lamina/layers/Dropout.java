package dev.lamina.layers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.Storage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras' {@code Dropout(rate)}: in training, zeroes each input with probability {@code rate} and
 * scales the rest by 1/(1−rate) (inverted dropout); in inference, passes inputs through unchanged.
 * Masks come from the counter-based {@link dev.lamina.backend.Philox} generator, keyed by the
 * fit's seed, the step and the layer's position, so every backend draws the same mask.
 */
public class Dropout extends Layer {
    private final float rate;
    private Storage mask;
    private Storage y;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new LaminaException("Dropout rate must be in [0, 1), got " + rate + ".");
        }
        this.rate = (float) rate;
    }

    public float rate() {
        return rate;
    }

    @Override
    public String typeName() {
        return "dropout";
    }

    @Override
    public int outputWidth(int inputWidth) {
        return inputWidth;
    }

    @Override
    protected void allocateBuffers(Backend backend, int rows) {
        mask = allocate(backend, (long) rows * inputWidth());
        y = allocate(backend, (long) rows * inputWidth());
    }

    @Override
    protected void releaseBuffers() {
        if (mask != null) {
            release(backend(), mask);
            release(backend(), y);
            mask = y = null;
        }
    }

    /** Where this step's mask starts in the generator's stream: distinct per step and per layer. */
    private static long streamOffset(StepContext ctx) {
        return (ctx.step() * 1024 + ctx.layerIndex()) << 32;
    }

    @Override
    public Storage forward(Storage input, int rows, StepContext ctx) {
        if (!ctx.training() || rate == 0f) {
            return input;
        }
        int n = rows * inputWidth();
        ctx.backend().dropoutMask(ctx.seed(), streamOffset(ctx), rate, mask, n);
        ctx.backend().binary(BinaryOp.MUL, input, mask, y, n);
        return y;
    }

    @Override
    public Storage backward(Storage input, Storage dOutput, int rows, boolean needInputGradient, StepContext ctx) {
        if (!needInputGradient) {
            return null;
        }
        if (rate != 0f) {
            ctx.backend().binary(BinaryOp.MUL, dOutput, mask, dOutput, rows * inputWidth());
        }
        return dOutput;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rate", rate);
        return c;
    }

    @Override
    public String describe() {
        return "Dropout(" + rate + ")" + (name() == null ? "" : " '" + name() + "'");
    }
}
