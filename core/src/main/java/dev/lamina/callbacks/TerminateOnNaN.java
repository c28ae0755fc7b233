package dev.lamina.callbacks;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras' {@code TerminateOnNaN}. It
 * reads the loss after every batch, which waits for the device each step. Without it, fit stops
 * a diverging run by itself, at the epoch's end, with {@link dev.lamina.TrainingDivergedException}
 * and the last good weights; with it, fit keeps Keras' behaviour: no exception, and the weights
 * are left as the bad batch made them.
 */
public class TerminateOnNaN extends Callback {
    private int terminatedBatch = -1;

    @Override
    public void onBatchEnd(int batch, BatchLogs logs) {
        Double loss = logs.get().get("loss");
        if (loss != null && (loss.isNaN() || loss.isInfinite())) {
            output().println("Batch " + batch + ": Invalid loss, terminating training");
            terminatedBatch = batch;
            model().stopTraining();
        }
    }

    /** The batch at which training was terminated, or −1. */
    public int terminatedBatch() {
        return terminatedBatch;
    }
}
