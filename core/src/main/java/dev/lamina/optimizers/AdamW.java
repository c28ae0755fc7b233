package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import java.util.Map;

/**
 * AdamW with Keras' defaults: Adam's (lr 0.001, β1 0.9, β2 0.999, ε 1e-7) plus decoupled weight
 * decay 0.004, applied as {@code w −= lr·weightDecay·w} before each Adam step.
 */
public class AdamW extends Adam {
    private final float weightDecay;

    public AdamW() {
        this(0.001f, 0.004f);
    }

    public AdamW(float learningRate, float weightDecay) {
        this(learningRate, weightDecay, 0.9f, 0.999f, 1e-7f);
    }

    public AdamW(float learningRate, float weightDecay, float beta1, float beta2, float epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        if (!(weightDecay >= 0 && weightDecay < Float.POSITIVE_INFINITY)) {
            throw new LaminaException("AdamW's weight decay must not be negative, got " + weightDecay + ".");
        }
        this.weightDecay = weightDecay;
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    protected float weightDecay() {
        return weightDecay;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("weight_decay", weightDecay);
        return c;
    }
}
