package dev.lamina.callbacks;

import dev.lamina.Sequential;
import java.io.PrintStream;
import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras' callbacks: train, epoch and batch begin and end. Epoch logs
 * hold "loss", each metric and their "val_" twins. Batch logs are computed only when a callback
 * reads them, since reading them waits for the device.
 */
public abstract class Callback {
    private Sequential model;
    private PrintStream output = System.out;

    /** Called by fit before training starts. */
    public void setModel(Sequential model) {
        this.model = model;
    }

    public Sequential model() {
        return model;
    }

    /** Called by fit before training starts, with {@link dev.lamina.FitOptions#output()}. */
    public void setOutput(PrintStream output) {
        this.output = output;
    }

    /** Where this callback's messages go: fit's output (standard output unless set otherwise). */
    protected PrintStream output() {
        return output;
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
