package dev.lamina.callbacks;

import dev.lamina.Sequential;
import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras' callbacks: train, epoch and batch begin and end. Epoch logs
 * hold "loss", each metric and their "val_" twins. Batch logs are computed only when a callback
 * reads them, since reading them waits for the device.
 */
public abstract class Callback {
    private Sequential model;

    /** Called by fit before training starts. */
    public void setModel(Sequential model) {
        this.model = model;
    }

    public Sequential model() {
        return model;
    }

    public void onTrainBegin() {
    }

    public void onTrainEnd(Map<String, Double> logs) {
    }

    public void onEpochBegin(int epoch) {
    }

    public void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    public void onBatchBegin(int batch) {
    }

    public void onBatchEnd(int batch, BatchLogs logs) {
    }
}
