package dev.lamina.initializers;

import dev.lamina.LaminaException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Weight initialisers with Keras 3's definitions. Weights are drawn on the host from a seeded
 * generator and uploaded, so a model starts identical on every backend.
 */
public enum Initializer {
    /** U(±√(6/(fan_in+fan_out))), Keras' default for Dense kernels. */
    GLOROT_UNIFORM("glorot_uniform"),
    /** Truncated normal, stddev √(2/(fan_in+fan_out)) / 0.8796. */
    GLOROT_NORMAL("glorot_normal"),
    /** U(±√(6/fan_in)). */
    HE_UNIFORM("he_uniform"),
    /** Truncated normal, stddev √(2/fan_in) / 0.8796. */
    HE_NORMAL("he_normal"),
    /** Truncated normal, stddev √(1/fan_in) / 0.8796. */
    LECUN_NORMAL("lecun_normal"),
    /** U(±√(3/fan_in)). */
    LECUN_UNIFORM("lecun_uniform"),
    ZEROS("zeros"),
    ONES("ones"),
    /** Normal, mean 0, stddev 0.05 (Keras' RandomNormal defaults). */
    RANDOM_NORMAL("random_normal"),
    /** U(−0.05, 0.05) (Keras' RandomUniform defaults). */
    RANDOM_UNIFORM("random_uniform");

    /** The stddev of a standard normal truncated to ±2, which Keras divides by. */
    private static final double TRUNCATION_CORRECTION = 0.87962566103423978;

    private final String kerasName;

    Initializer(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    public static Initializer of(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Initializer i : values()) {
            if (i.kerasName.equals(key)) {
                return i;
            }
        }
        throw new LaminaException("Unknown initializer '" + name + "'. Known initializers: "
                + String.join(", ", Arrays.stream(values()).map(Initializer::kerasName).toArray(String[]::new)) + ".");
    }

    /** {@code count} values for a weight of the given fans, drawn from {@code random}. */
    public float[] sample(int fanIn, int fanOut, int count, Random random) {
        float[] out = new float[count];
        switch (this) {
            case ZEROS:
                return out;
            case ONES:
                Arrays.fill(out, 1f);
                return out;
            case GLOROT_UNIFORM:
                return uniform(out, Math.sqrt(6.0 / (fanIn + fanOut)), random);
            case HE_UNIFORM:
                return uniform(out, Math.sqrt(6.0 / fanIn), random);
            case LECUN_UNIFORM:
                return uniform(out, Math.sqrt(3.0 / fanIn), random);
            case RANDOM_UNIFORM:
                return uniform(out, 0.05, random);
            case GLOROT_NORMAL:
                return truncatedNormal(out, Math.sqrt(2.0 / (fanIn + fanOut)) / TRUNCATION_CORRECTION, random);
            case HE_NORMAL:
                return truncatedNormal(out, Math.sqrt(2.0 / fanIn) / TRUNCATION_CORRECTION, random);
            case LECUN_NORMAL:
                return truncatedNormal(out, Math.sqrt(1.0 / fanIn) / TRUNCATION_CORRECTION, random);
            case RANDOM_NORMAL:
                return fill(out, () -> 0.05 * random.nextGaussian());
            default:
                throw new AssertionError(this);
        }
    }

    private static float[] uniform(float[] out, double limit, Random random) {
        return fill(out, () -> (2 * random.nextDouble() - 1) * limit);
    }

    /** A normal with the given stddev, redrawn outside two stddevs, as Keras' TruncatedNormal. */
    private static float[] truncatedNormal(float[] out, double stddev, Random random) {
        return fill(out, () -> {
            double g;
            do {
                g = random.nextGaussian();
            } while (Math.abs(g) > 2);
            return g * stddev;
        });
    }

    private static float[] fill(float[] out, DoubleSupplier draw) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) draw.getAsDouble();
        }
        return out;
    }
}
