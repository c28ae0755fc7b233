package dev.lamina.optimizers;

/** A learning rate that depends on the optimizer's step count, as Keras' LearningRateSchedule. */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate at {@code step} (0 for the first update). */
    float at(long step);

    /** Keras' ExponentialDecay: lr·rate^(step/decaySteps), the exponent floored when {@code staircase}. */
    static LearningRateSchedule exponentialDecay(float initial, long decaySteps, float decayRate, boolean staircase) {
        return step -> {
            double p = (double) step / decaySteps;
            return (float) (initial * Math.pow(decayRate, staircase ? Math.floor(p) : p));
        };
    }

    /** Keras' CosineDecay (no warm-up): lr·((1−α)·0.5·(1+cos(π·min(step,decaySteps)/decaySteps)) + α). */
    static LearningRateSchedule cosineDecay(float initial, long decaySteps, float alpha) {
        return step -> {
            double p = Math.min(step, decaySteps) / (double) decaySteps;
            double cosine = 0.5 * (1 + Math.cos(Math.PI * p));
            return (float) (initial * ((1 - alpha) * cosine + alpha));
        };
    }
}
