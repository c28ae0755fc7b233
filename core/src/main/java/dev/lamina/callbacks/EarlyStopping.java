package dev.lamina.callbacks;

import dev.lamina.LaminaException;
import java.util.List;
import java.util.Map;

/**
 * Stops training when a monitored quantity has stopped improving, as Keras' {@code EarlyStopping}:
 * monitor "val_loss", minDelta 0, patience 0, mode auto, restoreBestWeights false, startFromEpoch 0.
 * With restoreBestWeights, the weights of the best epoch are put back when training ends.
 */
public class EarlyStopping extends Callback {
    private String monitor = "val_loss";
    private double minDelta;
    private int patience;
    private MonitorMode mode = MonitorMode.AUTO;
    private boolean restoreBestWeights;
    private Double baseline;
    private int startFromEpoch;
    private boolean verbose;

    private boolean maximise;
    private int wait;
    private int stoppedEpoch;
    private double best;
    private int bestEpoch;
    private List<float[][]> bestWeights;

    public EarlyStopping monitor(String monitor) {
        this.monitor = monitor;
        return this;
    }

    public EarlyStopping minDelta(double minDelta) {
        this.minDelta = Math.abs(minDelta);
        return this;
    }

    public EarlyStopping patience(int patience) {
        if (patience < 0) {
            throw new LaminaException("EarlyStopping patience must not be negative, got " + patience + ".");
        }
        this.patience = patience;
        return this;
    }

    public EarlyStopping mode(String mode) {
        this.mode = MonitorMode.of(mode);
        return this;
    }

    public EarlyStopping restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    /** Training stops unless the monitored value improves on this within {@code patience} epochs. */
    public EarlyStopping baseline(double baseline) {
        this.baseline = baseline;
        return this;
    }

    public EarlyStopping startFromEpoch(int epoch) {
        this.startFromEpoch = epoch;
        return this;
    }

    public EarlyStopping verbose(boolean verbose) {
        this.verbose = verbose;
        return this;
    }

    @Override
    public void onTrainBegin() {
        maximise = mode.maximise(monitor);
        wait = 0;
        stoppedEpoch = 0;
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        bestWeights = null;
    }

    private boolean improves(double value, double reference) {
        return maximise ? value - minDelta > reference : value + minDelta < reference;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null || epoch < startFromEpoch) {
            if (current == null) {
                output().println("EarlyStopping: '" + monitor + "' is not in the logs (" + String.join(", ", logs.keySet())
                        + "); add validation data or monitor another key.");
            }
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = model().getWeights();
        }
        wait++;
        if (improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model().getWeights();
            }
            if (baseline == null || improves(current, baseline)) {
                wait = 0;
                return;
            }
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model().stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose) {
            output().println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (verbose) {
                output().println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            }
            model().setWeights(bestWeights);
        }
    }

    /** The epoch (0-based) at which training was stopped, or 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch (0-based) with the best monitored value. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
