package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Parameter;
import java.util.Map;

/** Adagrad with Keras' defaults: lr 0.001, initial accumulator 0.1, epsilon 1e-7. */
public class Adagrad extends Optimizer {
    private final float initialAccumulator;
    private final float epsilon;

    public Adagrad() {
        this(0.001f);
    }

    public Adagrad(float learningRate) {
        this(learningRate, 0.1f, 1e-7f);
    }

    public Adagrad(float learningRate, float initialAccumulator, float epsilon) {
        super(learningRate);
        if (!(initialAccumulator >= 0 && initialAccumulator < Float.POSITIVE_INFINITY) || !(epsilon > 0)) {
            throw new LaminaException("Adagrad needs a non-negative initial accumulator and a positive epsilon.");
        }
        this.initialAccumulator = initialAccumulator;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    protected int slotCount() {
        return 1;
    }

    @Override
    protected float initialSlotValue(int slot) {
        return initialAccumulator;
    }

    @Override
    protected void update(Backend backend, Parameter p, Storage[] slots, float lr, long step, Scratch scratch) {
        backend.adagradUpdate(p.storage(), p.gradient(), slots[0], p.size(), lr, epsilon, scratch);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("initial_accumulator_value", initialAccumulator);
        c.put("epsilon", epsilon);
        return c;
    }
}
