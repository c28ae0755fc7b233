package dev.lamina.backend;

/**
 * The losses a backend computes with their gradients. Every loss is reduced as Keras'
 * "sum_over_batch_size": the mean over the batch of each sample's loss, where a sample's loss is
 * the mean over its outputs for mse/mae/huber/binary cross-entropy and the sum over classes for
 * the categorical ones.
 */
public enum LossKind {
    MEAN_SQUARED_ERROR,
    MEAN_ABSOLUTE_ERROR,
    /** param = delta (Keras default 1.0). */
    HUBER,
    /** Predictions are probabilities, clipped to [1e-7, 1 - 1e-7] as Keras does. */
    BINARY_CROSSENTROPY,
    /** Predictions are logits; computed as max(x,0) - x·y + log(1 + e^-|x|). */
    BINARY_CROSSENTROPY_FROM_LOGITS,
    /** Predictions are probabilities (normalised per row, clipped to [1e-7, 1 - 1e-7]); targets one-hot. */
    CATEGORICAL_CROSSENTROPY,
    /** Predictions are logits; targets one-hot; computed through log-sum-exp. */
    CATEGORICAL_CROSSENTROPY_FROM_LOGITS,
    /** Predictions are probabilities; targets are class indices, one column. */
    SPARSE_CATEGORICAL_CROSSENTROPY,
    /** Predictions are logits; targets are class indices, one column. */
    SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS;

    /** Keras' epsilon for clipping probabilities. */
    public static final float EPSILON = 1e-7f;

    /** True when targets are class indices (one column) rather than one value per output. */
    public boolean sparse() {
        return this == SPARSE_CATEGORICAL_CROSSENTROPY || this == SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS;
    }
}
