package dev.lamina.cli;

import dev.lamina.callbacks.Callback;
import java.util.Map;

/**
 * Stops training at the end of the first epoch whose loss is NaN or infinite: the weights are lost
 * by then, and more epochs only waste time. Checked per epoch, not per batch as Keras'
 * TerminateOnNaN, so a GPU is not made to wait for the loss after every step.
 */
final class DivergenceGuard extends Callback {
    private int divergedEpoch = -1;

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss) && divergedEpoch < 0) {
            divergedEpoch = epoch;
            model().stopTraining();
        }
    }

    /** The 1-based epoch at which the loss stopped being a number, or 0 when it never did. */
    int divergedEpoch() {
        return divergedEpoch + 1;
    }
}
