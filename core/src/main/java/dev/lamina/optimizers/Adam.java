package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Parameter;
import java.util.Map;

/**
 * Adam with Keras' defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e-7) and Keras' update form: the step
 * size {@code lr·√(1−β2ᵗ)/(1−β1ᵗ)} carries the bias corrections, and ε is added to √v uncorrected.
 */
public class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    public Adam() {
        this(0.001f);
    }

    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new LaminaException("Adam's beta_1 and beta_2 must be in [0, 1), got " + beta1 + " and " + beta2 + ".");
        }
        if (!(epsilon > 0)) {
            throw new LaminaException("Adam's epsilon must be positive, got " + epsilon + ".");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public String name() {
        return "adam";
    }

    /** AdamW's decoupled weight decay; 0 for Adam. */
    protected float weightDecay() {
        return 0f;
    }

    @Override
    protected int slotCount() {
        return 2;
    }

    @Override
    protected void update(Backend backend, Parameter p, Storage[] slots, float lr, long step, Scratch scratch) {
        double correction = Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
        backend.adamUpdate(p.storage(), p.gradient(), slots[0], slots[1], p.size(), lr, (float) (lr * correction),
                beta1, beta2, epsilon, weightDecay(), scratch);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
