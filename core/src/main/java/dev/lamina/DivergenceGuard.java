package dev.lamina;

import dev.lamina.backend.Backend;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Parameter;
import dev.lamina.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops {@code fit} when training diverges and puts the last good state back.
 *
 * <p>At each epoch's end, fit reads the per-batch losses from the device anyway; the guard scans
 * them for NaN or infinity and checks, on the device, that every parameter and optimizer state is
 * finite. When all is well it copies parameters and optimizer state into a device-side snapshot
 * (a device-to-device copy, no host transfer). When not, it copies the snapshot back and throws
 * {@link TrainingDivergedException}. A training step therefore does no extra work and no extra
 * synchronisation; the cost is one copy of the parameters and optimizer state in device memory,
 * and one snapshot per epoch. The price of that choice: training rolls back to the start of the
 * epoch that diverged, not to the batch before.
 */
final class DivergenceGuard implements AutoCloseable {
    /** The scratch slot the finiteness check works in (fused ops use 0–7, regularisation 12). */
    private static final int SCRATCH_SLOT = 13;

    private final Backend backend;
    private final Scratch scratch;
    private final Optimizer optimizer;
    private final List<Parameter> parameters;
    private final List<Parameter> trainable = new ArrayList<>();
    private final Storage[] savedValues;
    /** The optimizer's state per trainable parameter; null until the optimizer has taken a step. */
    private Storage[][] savedState;
    private boolean stateSaved;
    private long savedIterations;
    private final Storage flag;
    private final float[] hostFlag = new float[1];

    DivergenceGuard(Backend backend, Scratch scratch, Optimizer optimizer, List<Parameter> parameters) {
        this.backend = backend;
        this.scratch = scratch;
        this.optimizer = optimizer;
        this.parameters = parameters;
        for (Parameter p : parameters) {
            if (p.trainable()) {
                trainable.add(p);
            }
        }
        this.savedValues = new Storage[parameters.size()];
        this.flag = backend.allocate(1);
        try {
            for (int i = 0; i < savedValues.length; i++) {
                savedValues[i] = backend.allocate(Math.max(1, parameters.get(i).size()));
            }
        } catch (RuntimeException e) {
            close();      // out of device memory half-way: give back what was taken
            throw e;
        }
    }

    /** Whether this guard snapshots {@code optimizer}'s state (fit keeps the guard until compile changes it). */
    boolean watches(Optimizer optimizer) {
        return this.optimizer == optimizer;
    }

    /** Before the first epoch: the weights training starts from must be finite. */
    void start() {
        if (!stateFinite()) {
            throw new TrainingDivergedException("The model's weights or optimizer state hold NaN or infinite values before "
                    + "training starts. Check the values given to setWeights or loadWeights, or rebuild the model.",
                    0, -1, Double.NaN, new History());
        }
        remember();
    }

    /**
     * After epoch {@code epoch} (from 0) of {@code epochs}: checks the first {@code done} of the
     * epoch's batch losses and the state; remembers the state when all is finite, otherwise
     * restores the last good state and throws.
     */
    void afterEpoch(int epoch, int epochs, float[] batchLosses, int done, int steps, History history) {
        for (int b = 0; b < done; b++) {
            if (!Float.isFinite(batchLosses[b])) {
                restore();
                throw new TrainingDivergedException("Training diverged: the loss became " + batchLosses[b] + " in epoch "
                        + (epoch + 1) + "/" + epochs + " at batch " + (b + 1) + "/" + steps + ". " + restoredAndHint(epoch),
                        epoch, b, batchLosses[b], history);
            }
        }
        if (!stateFinite()) {
            restore();
            throw new TrainingDivergedException("Training diverged: the weights or optimizer state became NaN or infinite in "
                    + "epoch " + (epoch + 1) + "/" + epochs + " although every batch's loss was finite (a gradient overflowed). "
                    + restoredAndHint(epoch), epoch, -1, Double.NaN, history);
        }
        remember();
    }

    private static String restoredAndHint(int epoch) {
        return "The model holds the weights it had " + (epoch == 0 ? "before training" : "at the end of epoch " + epoch)
                + ", the last finite ones. Lower the learning rate, scale the inputs and targets (e.g. with "
                + "Standardizer), or clip gradients (optimizer.clipNorm(1.0)).";
    }

    /** True when every parameter and optimizer state value is finite: x − x is 0 for finite x and NaN otherwise. */
    private boolean stateFinite() {
        backend.fill(flag, 0, 1, 0f);
        for (Parameter p : parameters) {
            addNonFinite(p.storage(), p.size());
        }
        for (Parameter p : trainable) {
            Storage[] state = optimizer.state(p);
            for (int i = 0; state != null && i < state.length; i++) {
                addNonFinite(state[i], p.size());
            }
        }
        backend.download(flag, 0, hostFlag, 0, 1);
        return hostFlag[0] == 0f;
    }

    private void addNonFinite(Storage values, int n) {
        if (n == 0) {
            return;
        }
        Storage work = scratch.get(SCRATCH_SLOT, n);
        backend.binary(BinaryOp.SUB, values, values, work, n);
        backend.sum(work, n, 1f, flag, 0, true);
    }

    private void remember() {
        for (int i = 0; i < savedValues.length; i++) {
            Parameter p = parameters.get(i);
            backend.copy(p.storage(), 0, savedValues[i], 0, p.size());
        }
        stateSaved = !trainable.isEmpty() && optimizer.state(trainable.get(0)) != null;
        if (stateSaved) {
            if (savedState == null) {
                savedState = new Storage[trainable.size()][];
            }
            for (int i = 0; i < trainable.size(); i++) {
                Parameter p = trainable.get(i);
                Storage[] state = optimizer.state(p);
                if (state == null) {
                    continue;   // the optimizer was replaced during fit (compile in a callback)
                }
                if (savedState[i] == null) {
                    savedState[i] = new Storage[state.length];
                    for (int s = 0; s < state.length; s++) {
                        savedState[i][s] = backend.allocate(Math.max(1, p.size()));
                    }
                }
                for (int s = 0; s < state.length; s++) {
                    backend.copy(state[s], 0, savedState[i][s], 0, p.size());
                }
            }
        }
        savedIterations = optimizer.iterations();
    }

    private void restore() {
        for (int i = 0; i < savedValues.length; i++) {
            Parameter p = parameters.get(i);
            backend.copy(savedValues[i], 0, p.storage(), 0, p.size());
        }
        if (stateSaved) {
            for (int i = 0; i < trainable.size(); i++) {
                Storage[] state = optimizer.state(trainable.get(i));
                for (int s = 0; state != null && s < state.length; s++) {
                    backend.copy(savedState[i][s], 0, state[s], 0, trainable.get(i).size());
                }
            }
        } else {
            optimizer.release(backend);   // no step had been taken: the optimizer starts afresh
        }
        optimizer.setIterations(savedIterations);
        backend.synchronize();
    }

    @Override
    public void close() {
        for (Storage s : savedValues) {
            if (s != null) {
                backend.release(s);
            }
        }
        if (savedState != null) {
            for (Storage[] state : savedState) {
                for (int s = 0; state != null && s < state.length; s++) {
                    if (state[s] != null) {
                        backend.release(state[s]);
                    }
                }
            }
        }
        backend.release(flag);
    }
}
