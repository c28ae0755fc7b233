package dev.lamina.cpu;

import dev.lamina.callbacks.BatchLogs;
import dev.lamina.callbacks.Callback;

/**
 * A fit callback that adds up what the training steps allocate, caller and workers apart: from the
 * start of each epoch's first step to the end of its last, so fit's per-epoch work (shuffle,
 * history, logs) stays outside. Allocates nothing itself.
 */
final class StepWindow extends Callback {
    private final AllocationMeter meter;
    private final int stepsPerEpoch;
    private long callerAtStart;
    private long workersAtStart;
    long caller;
    long workers;
    int steps;

    StepWindow(AllocationMeter meter, int stepsPerEpoch) {
        this.meter = meter;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    void reset() {
        caller = 0;
        workers = 0;
        steps = 0;
    }

    double callerPerStep() {
        return (double) caller / steps;
    }

    double workersPerStep() {
        return (double) workers / steps;
    }

    double perStep() {
        return (double) (caller + workers) / steps;
    }

    @Override
    public void onBatchBegin(int batch) {
        if (batch == 0) {
            callerAtStart = meter.caller();
            workersAtStart = meter.workers();
        }
    }

    @Override
    public void onBatchEnd(int batch, BatchLogs logs) {
        if (batch == stepsPerEpoch - 1) {
            caller += meter.caller() - callerAtStart;
            workers += meter.workers() - workersAtStart;
            steps += stepsPerEpoch;
        }
    }
}
