package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Parameter;
import java.util.Map;

/** RMSprop with Keras' defaults: lr 0.001, rho 0.9, epsilon 1e-7 (no momentum, not centered). */
public class RMSprop extends Optimizer {
    private final float rho;
    private final float epsilon;

    public RMSprop() {
        this(0.001f);
    }

    public RMSprop(float learningRate) {
        this(learningRate, 0.9f, 1e-7f);
    }

    public RMSprop(float learningRate, float rho, float epsilon) {
        super(learningRate);
        if (!(rho >= 0 && rho < 1) || !(epsilon > 0)) {
            throw new LaminaException("RMSprop needs rho in [0, 1) and a positive epsilon, got rho=" + rho + ", epsilon=" + epsilon + ".");
        }
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    protected int slotCount() {
        return 1;
    }

    @Override
    protected void update(Backend backend, Parameter p, Storage[] slots, float lr, long step, Scratch scratch) {
        backend.rmspropUpdate(p.storage(), p.gradient(), slots[0], p.size(), lr, rho, epsilon, scratch);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("rho", rho);
        c.put("epsilon", epsilon);
        return c;
    }
}
