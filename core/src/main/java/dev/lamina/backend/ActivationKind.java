package dev.lamina.backend;

import dev.lamina.LaminaException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The activation functions, with Keras 3's definitions and default parameters. The scalar methods
 * here are the definitions every backend must match (computed in double); {@link #SOFTMAX} works
 * on whole rows and has no scalar form.
 */
public enum ActivationKind {
    LINEAR("linear"),
    RELU("relu"),
    /** alpha = 1.0, as keras.activations.elu. */
    ELU("elu"),
    /** The exact form 0.5·x·(1 + erf(x/√2)), as keras.activations.gelu(approximate=False). */
    GELU("gelu"),
    SELU("selu"),
    /** x·sigmoid(x); Keras' alias "silu" names the same function. */
    SWISH("swish"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    /** Row-wise softmax over the last axis. */
    SOFTMAX("softmax"),
    /** log(1 + eˣ), computed without overflow. */
    SOFTPLUS("softplus"),
    /** negative_slope = 0.2, as keras.activations.leaky_relu. */
    LEAKY_RELU("leaky_relu");

    public static final double SELU_ALPHA = 1.6732632423543772;
    public static final double SELU_SCALE = 1.0507009873554805;
    public static final double ELU_ALPHA = 1.0;
    public static final double LEAKY_RELU_SLOPE = 0.2;

    private final String kerasName;

    ActivationKind(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    /** Finds an activation by its Keras name, case-insensitively; null or "" mean linear. */
    public static ActivationKind of(String name) {
        if (name == null || name.isBlank()) {
            return LINEAR;
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (key.equals("silu")) {
            return SWISH;
        }
        for (ActivationKind kind : values()) {
            if (kind.kerasName.equals(key)) {
                return kind;
            }
        }
        throw new LaminaException("Unknown activation '" + name + "'. Known activations: "
                + Arrays.stream(values()).map(ActivationKind::kerasName).collect(Collectors.joining(", "))
                + ", silu.");
    }

    /** True for functions applied to each element alone (all but softmax). */
    public boolean elementWise() {
        return this != SOFTMAX;
    }

    /** f(x), in double. */
    public double apply(double x) {
        switch (this) {
            case LINEAR: return x;
            case RELU: return x > 0 ? x : 0;
            case ELU: return x > 0 ? x : ELU_ALPHA * Math.expm1(x);
            case GELU: return 0.5 * x * (1 + MathFunctions.erf(x / Math.sqrt(2)));
            case SELU: return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
            case SWISH: return x * MathFunctions.sigmoid(x);
            case SIGMOID: return MathFunctions.sigmoid(x);
            case TANH: return Math.tanh(x);
            case SOFTPLUS: return MathFunctions.softplus(x);
            case LEAKY_RELU: return x > 0 ? x : LEAKY_RELU_SLOPE * x;
            default: throw new UnsupportedOperationException(this + " is not element-wise");
        }
    }

    /** f'(x), in double, given x and y = f(x). */
    public double derivative(double x, double y) {
        switch (this) {
            case LINEAR: return 1;
            case RELU: return x > 0 ? 1 : 0;
            case ELU: return x > 0 ? 1 : y + ELU_ALPHA;
            case GELU: return 0.5 * (1 + MathFunctions.erf(x / Math.sqrt(2)))
                    + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
            case SELU: return x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
            case SWISH: {
                double s = MathFunctions.sigmoid(x);
                return s + x * s * (1 - s);
            }
            case SIGMOID: return y * (1 - y);
            case TANH: return 1 - y * y;
            case SOFTPLUS: return MathFunctions.sigmoid(x);
            case LEAKY_RELU: return x > 0 ? 1 : LEAKY_RELU_SLOPE;
            default: throw new UnsupportedOperationException(this + " is not element-wise");
        }
    }
}
