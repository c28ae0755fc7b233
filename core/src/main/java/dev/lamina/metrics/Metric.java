package dev.lamina.metrics;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import dev.lamina.losses.Loss;
import java.util.List;
import java.util.Locale;

/**
 * Metrics reported beside the loss, with Keras names. Each is computed on the backend as a batch
 * mean; the epoch value is the mean over samples, as Keras' metric trackers give.
 */
public enum Metric {
    MEAN_ABSOLUTE_ERROR("mae"),
    MEAN_SQUARED_ERROR("mse"),
    /** (prediction > 0.5) equals the target. */
    BINARY_ACCURACY("binary_accuracy"),
    /** argmax of the prediction equals argmax of the one-hot target. */
    CATEGORICAL_ACCURACY("categorical_accuracy"),
    /** argmax of the prediction equals the integer target. */
    SPARSE_CATEGORICAL_ACCURACY("sparse_categorical_accuracy");

    private static final List<String> NAMES = List.of("mae", "mse", "accuracy", "acc", "binary_accuracy",
            "categorical_accuracy", "sparse_categorical_accuracy", "mean_absolute_error", "mean_squared_error");

    private final String key;

    Metric(String key) {
        this.key = key;
    }

    /** The name in the history ("mae", "binary_accuracy"). */
    public String key() {
        return key;
    }

    /**
     * A metric by Keras name; "accuracy" resolves from the loss as Keras does: binary for binary
     * cross-entropy, sparse categorical for the sparse loss, categorical otherwise.
     */
    public static Metric of(String name, Loss loss) {
        String k = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (k) {
            case "mae":
            case "mean_absolute_error":
                return MEAN_ABSOLUTE_ERROR;
            case "mse":
            case "mean_squared_error":
                return MEAN_SQUARED_ERROR;
            case "binary_accuracy":
                return BINARY_ACCURACY;
            case "categorical_accuracy":
                return CATEGORICAL_ACCURACY;
            case "sparse_categorical_accuracy":
                return SPARSE_CATEGORICAL_ACCURACY;
            case "accuracy":
            case "acc":
                LossKind kind = loss.kind();
                if (kind == LossKind.BINARY_CROSSENTROPY || kind == LossKind.BINARY_CROSSENTROPY_FROM_LOGITS) {
                    return BINARY_ACCURACY;
                }
                return kind.sparse() ? SPARSE_CATEGORICAL_ACCURACY : CATEGORICAL_ACCURACY;
            default:
                throw new LaminaException("Unknown metric '" + name + "'. Known metrics: " + String.join(", ", NAMES) + ".");
        }
    }

    /** The history key a metric name produces: Keras keeps the name the user wrote for accuracy. */
    public static String historyKey(String name, Metric metric) {
        String k = name.trim().toLowerCase(Locale.ROOT);
        if (k.equals("accuracy") || k.equals("acc")) {
            return k;
        }
        return metric.key;
    }

    /**
     * Writes the batch mean of the metric to {@code out[index]}. {@code target} is rows×cols, or
     * rows×1 class indices for the sparse accuracy.
     */
    public void batchValue(Backend b, Storage pred, Storage target, int rows, int cols, Storage out, int index, Scratch scratch) {
        int n = rows * cols;
        Storage s0 = scratch.get(10, n);
        Storage s1 = scratch.get(11, n);
        switch (this) {
            case MEAN_ABSOLUTE_ERROR:
                b.binary(BinaryOp.SUB, pred, target, s0, n);
                b.unary(UnaryOp.ABS, s0, s0, n);
                b.sum(s0, n, 1f / n, out, index, false);
                return;
            case MEAN_SQUARED_ERROR:
                b.binary(BinaryOp.SUB, pred, target, s0, n);
                b.unary(UnaryOp.SQUARE, s0, s0, n);
                b.sum(s0, n, 1f / n, out, index, false);
                return;
            case BINARY_ACCURACY:
                b.affine(pred, 1f, -0.5f, s0, n);
                b.unary(UnaryOp.STEP, s0, s0, n);
                b.binary(BinaryOp.EQUAL, s0, target, s0, n);
                b.sum(s0, n, 1f / n, out, index, false);
                return;
            case CATEGORICAL_ACCURACY:
                b.argmaxRows(pred, rows, cols, s0);
                b.argmaxRows(target, rows, cols, s1);
                b.binary(BinaryOp.EQUAL, s0, s1, s0, rows);
                b.sum(s0, rows, 1f / rows, out, index, false);
                return;
            case SPARSE_CATEGORICAL_ACCURACY:
                b.argmaxRows(pred, rows, cols, s0);
                b.binary(BinaryOp.EQUAL, s0, target, s0, rows);
                b.sum(s0, rows, 1f / rows, out, index, false);
                return;
            default:
                throw new AssertionError(this);
        }
    }
}
