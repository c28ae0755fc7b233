package dev.lamina.callbacks;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * The running logs of the current epoch at the end of a batch ("loss" and each metric, averaged
 * over the batches so far). Computed on first access, because reading them waits for the device;
 * one instance is reused for every batch so that a training step allocates nothing.
 */
public final class BatchLogs {
    private final IntFunction<Map<String, Double>> source;
    private int batchesDone;
    private Map<String, Double> values;

    public BatchLogs(IntFunction<Map<String, Double>> source) {
        this.source = source;
    }

    /** Points the logs at the state after {@code batchesDone} batches (called by fit). */
    public BatchLogs at(int batchesDone) {
        this.batchesDone = batchesDone;
        this.values = null;
        return this;
    }

    /** The logs if a callback has already read them for this batch, else null; never waits for the device. */
    public Map<String, Double> ifRead() {
        return values;
    }

    public Map<String, Double> get() {
        if (values == null) {
            values = source.apply(batchesDone);
        }
        return values;
    }
}
