package dev.lamina.layers;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;

/** Applies an activation function as its own layer, as Keras' {@code Activation("relu")}. */
public class Activation extends Layer {
    public static final ActivationKind LINEAR = ActivationKind.LINEAR;
    public static final ActivationKind RELU = ActivationKind.RELU;
    public static final ActivationKind ELU = ActivationKind.ELU;
    public static final ActivationKind GELU = ActivationKind.GELU;
    public static final ActivationKind SELU = ActivationKind.SELU;
    public static final ActivationKind SWISH = ActivationKind.SWISH;
    public static final ActivationKind SILU = ActivationKind.SWISH;
    public static final ActivationKind SIGMOID = ActivationKind.SIGMOID;
    public static final ActivationKind TANH = ActivationKind.TANH;
    public static final ActivationKind SOFTMAX = ActivationKind.SOFTMAX;
    public static final ActivationKind SOFTPLUS = ActivationKind.SOFTPLUS;
    public static final ActivationKind LEAKY_RELU = ActivationKind.LEAKY_RELU;

    private final ActivationKind kind;
    private Storage y;

    public Activation(String name) {
        this(ActivationKind.of(name));
    }

    public Activation(ActivationKind kind) {
        this.kind = kind;
    }

    public ActivationKind kind() {
        return kind;
    }

    @Override
    public String typeName() {
        return "activation";
    }

    @Override
    public int outputWidth(int inputWidth) {
        return inputWidth;
    }

    @Override
    protected void allocateBuffers(Backend backend, int rows) {
        y = allocate(backend, (long) rows * inputWidth());
    }

    @Override
    protected void releaseBuffers() {
        if (y != null) {
            release(backend(), y);
            y = null;
        }
    }

    @Override
    public Storage forward(Storage input, int rows, StepContext ctx) {
        ctx.backend().activationForward(kind, input, y, rows, inputWidth());
        return y;
    }

    @Override
    public Storage backward(Storage input, Storage dOutput, int rows, boolean needInputGradient, StepContext ctx) {
        if (!needInputGradient) {
            return null;
        }
        // dOutput is consumed here, so the gradient can replace it in place
        ctx.backend().activationBackward(kind, input, y, dOutput, dOutput, rows, inputWidth());
        return dOutput;
    }

    @Override
    public java.util.Map<String, Object> config() {
        return java.util.Map.of("activation", kind.kerasName());
    }

    @Override
    public String describe() {
        return "Activation(" + kind.kerasName() + ")" + (name() == null ? "" : " '" + name() + "'");
    }
}
