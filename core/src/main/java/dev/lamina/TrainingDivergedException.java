package dev.lamina;

/**
 * Thrown by {@code fit} when training diverges: a batch's loss, or the weights, became NaN or
 * infinite. The model holds its last good weights (and optimizer state) when this is thrown; the
 * history of the epochs that finished is kept here.
 */
public class TrainingDivergedException extends LaminaException {
    private final int epoch;
    private final int batch;
    private final double loss;
    private final transient History history;

    public TrainingDivergedException(String message, int epoch, int batch, double loss, History history) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.history = history;
    }

    /** The epoch that diverged, counted from 0 as callbacks count it. */
    public int epoch() {
        return epoch;
    }

    /** The first batch (from 0) whose loss was not finite, or −1 when only the weights were. */
    public int batch() {
        return batch;
    }

    /** That batch's loss (NaN or ±infinity), or NaN when only the weights were not finite. */
    public double loss() {
        return loss;
    }

    /** The logs of the epochs that finished before the one that diverged. */
    public History history() {
        return history;
    }
}
