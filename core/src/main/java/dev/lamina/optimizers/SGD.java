package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Parameter;
import java.util.Map;

/** Stochastic gradient descent with optional momentum and Nesterov momentum; Keras defaults lr 0.01, momentum 0. */
public class SGD extends Optimizer {
    private final float momentum;
    private final boolean nesterov;

    public SGD() {
        this(0.01f);
    }

    public SGD(float learningRate) {
        this(learningRate, 0f, false);
    }

    public SGD(float learningRate, float momentum, boolean nesterov) {
        super(learningRate);
        if (!(momentum >= 0 && momentum <= 1)) {   // written so that NaN fails too
            throw new LaminaException("SGD momentum must be in [0, 1], got " + momentum + ".");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public String name() {
        return "sgd";
    }

    public float momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected int slotCount() {
        return momentum == 0f ? 0 : 1;
    }

    @Override
    protected void update(Backend backend, Parameter p, Storage[] slots, float lr, long step, Scratch scratch) {
        backend.sgdUpdate(p.storage(), p.gradient(), slots.length == 0 ? null : slots[0], p.size(), lr, momentum, nesterov, scratch);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        return c;
    }
}
