package dev.lamina.losses;

import dev.lamina.LaminaException;
import dev.lamina.backend.LossKind;
import java.util.List;
import java.util.Locale;

/** A loss function, by Keras name or factory method, reduced as Keras' "sum_over_batch_size". */
public final class Loss {
    private static final List<String> NAMES = List.of("mse", "mean_squared_error", "mae", "mean_absolute_error", "huber",
            "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy");

    private final String name;
    private final LossKind kind;
    private final float param;

    private Loss(String name, LossKind kind, float param) {
        this.name = name;
        this.kind = kind;
        this.param = param;
    }

    public static Loss meanSquaredError() {
        return new Loss("mean_squared_error", LossKind.MEAN_SQUARED_ERROR, 0f);
    }

    public static Loss meanAbsoluteError() {
        return new Loss("mean_absolute_error", LossKind.MEAN_ABSOLUTE_ERROR, 0f);
    }

    /** Huber loss with the given delta (Keras default 1.0). */
    public static Loss huber(float delta) {
        if (!(delta > 0)) {
            throw new LaminaException("Huber's delta must be positive, got " + delta + ".");
        }
        return new Loss("huber", LossKind.HUBER, delta);
    }

    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new Loss("binary_crossentropy", fromLogits ? LossKind.BINARY_CROSSENTROPY_FROM_LOGITS : LossKind.BINARY_CROSSENTROPY, 0f);
    }

    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new Loss("categorical_crossentropy",
                fromLogits ? LossKind.CATEGORICAL_CROSSENTROPY_FROM_LOGITS : LossKind.CATEGORICAL_CROSSENTROPY, 0f);
    }

    /** Targets are integer class indices in one column. */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Loss("sparse_categorical_crossentropy",
                fromLogits ? LossKind.SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS : LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0f);
    }

    /** A loss by case-insensitive Keras name ("mse", "binary_crossentropy", ...). */
    public static Loss of(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "mse":
            case "mean_squared_error":
                return meanSquaredError();
            case "mae":
            case "mean_absolute_error":
                return meanAbsoluteError();
            case "huber":
            case "huber_loss":
                return huber(1f);
            case "binary_crossentropy":
                return binaryCrossentropy(false);
            case "categorical_crossentropy":
                return categoricalCrossentropy(false);
            case "sparse_categorical_crossentropy":
                return sparseCategoricalCrossentropy(false);
            default:
                throw new LaminaException("Unknown loss '" + name + "'. Known losses: " + String.join(", ", NAMES) + ".");
        }
    }

    public static List<String> names() {
        return NAMES;
    }

    public String name() {
        return name;
    }

    public LossKind kind() {
        return kind;
    }

    /** Huber's delta; 0 for the others. */
    public float param() {
        return param;
    }

    public boolean fromLogits() {
        return kind == LossKind.BINARY_CROSSENTROPY_FROM_LOGITS || kind == LossKind.CATEGORICAL_CROSSENTROPY_FROM_LOGITS
                || kind == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS;
    }

    /** The number of target columns for a model with {@code outputs} outputs. */
    public int targetWidth(int outputs) {
        return kind.sparse() ? 1 : outputs;
    }

    @Override
    public String toString() {
        return name;
    }
}
