package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Parameter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, once per training step, on the backend. Subclasses say
 * how many state slots a parameter needs (momentum, second moments) and apply one update; this
 * class keeps the state, the step count, the learning rate (or its schedule) and gradient clipping.
 */
public abstract class Optimizer {
    private float learningRate;
    private LearningRateSchedule schedule;
    private float clipNorm;
    private float clipValue;
    private long iterations;
    private final Map<Parameter, Storage[]> slots = new IdentityHashMap<>();

    protected Optimizer(float learningRate) {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new LaminaException("The learning rate must be a positive number, got " + learningRate + ".");
        }
        this.learningRate = learningRate;
    }

    /** Keras' name of the optimizer ("sgd", "adam"). */
    public abstract String name();

    /** How many state arrays of the parameter's size this optimizer keeps per parameter. */
    protected abstract int slotCount();

    /** Applies one update to {@code p} with the gradient in {@code p.gradient()}. */
    protected abstract void update(Backend backend, Parameter p, Storage[] slots, float lr, long step, Scratch scratch);

    /** The learning rate used at the next step (from the schedule, if one is set). */
    public float learningRate() {
        return schedule == null ? learningRate : schedule.at(iterations);
    }

    /** Sets a constant learning rate (ReduceLROnPlateau uses this); removes a schedule. */
    public void setLearningRate(float learningRate) {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new LaminaException("The learning rate must be positive, got " + learningRate + ".");
        }
        this.learningRate = learningRate;
        this.schedule = null;
    }

    /** A learning-rate schedule, evaluated at each step's iteration count. */
    public Optimizer schedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Keras' clipnorm: each gradient is rescaled so that its L2 norm is at most {@code clipNorm}. */
    public Optimizer clipNorm(float clipNorm) {
        if (!(clipNorm > 0) || Float.isInfinite(clipNorm)) {
            throw new LaminaException("clipnorm must be positive, got " + clipNorm + ".");
        }
        this.clipNorm = clipNorm;
        return this;
    }

    /** Keras' clipvalue: each gradient element is clipped to [−clipValue, clipValue]. */
    public Optimizer clipValue(float clipValue) {
        if (!(clipValue > 0) || Float.isInfinite(clipValue)) {
            throw new LaminaException("clipvalue must be positive, got " + clipValue + ".");
        }
        this.clipValue = clipValue;
        return this;
    }

    /** Steps taken so far (Keras' {@code optimizer.iterations}). */
    public long iterations() {
        return iterations;
    }

    /**
     * Sets the step count (Keras' {@code optimizer.iterations.assign}); fit uses it to roll back
     * to the last good state when training diverges.
     */
    public void setIterations(long iterations) {
        if (iterations < 0) {
            throw new LaminaException("iterations must not be negative, got " + iterations + ".");
        }
        this.iterations = iterations;
    }

    /** One step over all trainable parameters. Allocates state only at the first step. */
    public void apply(Backend backend, List<Parameter> parameters, Scratch scratch) {
        float lr = learningRate();
        if (!(lr > 0) || Float.isInfinite(lr)) {   // a user's schedule gave a rate that would poison the weights
            throw new LaminaException("The learning-rate schedule gave " + lr + " at step " + iterations
                    + "; a learning rate must be a positive number.");
        }
        long step = iterations + 1;
        for (int i = 0, count = parameters.size(); i < count; i++) {   // indexed: no iterator per step
            Parameter p = parameters.get(i);
            if (!p.trainable()) {
                continue;
            }
            Storage[] state = slots.get(p);
            if (state == null) {
                state = allocateSlots(backend, p);
                slots.put(p, state);
            }
            if (clipValue > 0) {
                backend.clamp(p.gradient(), -clipValue, clipValue, p.gradient(), p.size());
            }
            if (clipNorm > 0) {
                backend.clipByNorm(p.gradient(), p.size(), clipNorm);
            }
            update(backend, p, state, lr, step, scratch);
        }
        iterations = step;
    }

    /** The value a state slot starts at (Adagrad's accumulator starts at 0.1). */
    protected float initialSlotValue(int slot) {
        return 0f;
    }

    private Storage[] allocateSlots(Backend backend, Parameter p) {
        Storage[] state = new Storage[slotCount()];
        try {
            for (int i = 0; i < state.length; i++) {
                state[i] = backend.allocate(p.size());
                if (initialSlotValue(i) != 0f) {
                    backend.fill(state[i], 0, p.size(), initialSlotValue(i));
                }
            }
        } catch (RuntimeException e) {
            for (Storage s : state) {       // out of device memory half-way: give back what was taken
                if (s != null) {
                    backend.release(s);
                }
            }
            throw e;
        }
        return state;
    }

    /** The state arrays of a parameter, in the subclass's order (for saving); null before the first step. */
    public Storage[] state(Parameter p) {
        return slots.get(p);
    }

    /** Restores state saved from another model (slot arrays of the parameter's size) and the step count. */
    public void restoreState(Backend backend, Parameter p, float[][] values, long iterations) {
        Storage[] state = slots.computeIfAbsent(p, k -> allocateSlots(backend, k));
        for (int i = 0; i < state.length && i < values.length; i++) {
            backend.upload(values[i], 0, state[i], 0, values[i].length);
        }
        this.iterations = iterations;
    }

    public int stateSlots() {
        return slotCount();
    }

    /** Frees the optimizer state (the model does this on close). */
    public void release(Backend backend) {
        for (Storage[] state : slots.values()) {
            for (Storage s : state) {
                backend.release(s);
            }
        }
        slots.clear();
    }

    /** The settings, for saving and summaries. */
    public Map<String, Object> config() {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("name", name());
        c.put("learning_rate", learningRate);
        if (clipNorm > 0) {
            c.put("clipnorm", clipNorm);
        }
        if (clipValue > 0) {
            c.put("clipvalue", clipValue);
        }
        return c;
    }
}
