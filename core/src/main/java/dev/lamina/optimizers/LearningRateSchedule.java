package dev.lamina.optimizers;

import dev.lamina.LaminaException;

/** A learning rate that depends on the optimizer's step count, as Keras' LearningRateSchedule. */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate at {@code step} (0 for the first update). */
    float at(long step);

    /** Keras' ExponentialDecay: lr·rate^(step/decaySteps), the exponent floored when {@code staircase}. */
    static LearningRateSchedule exponentialDecay(float initial, long decaySteps, float decayRate, boolean staircase) {
        checkSchedule(initial, decaySteps);
        if (!(decayRate > 0 && decayRate < Float.POSITIVE_INFINITY)) {
            throw new LaminaException("ExponentialDecay needs a positive decay rate, got " + decayRate + ".");
        }
        return step -> {
            double p = (double) step / decaySteps;
            return (float) (initial * Math.pow(decayRate, staircase ? Math.floor(p) : p));
        };
    }

    /** Keras' CosineDecay (no warm-up): lr·((1−α)·0.5·(1+cos(π·min(step,decaySteps)/decaySteps)) + α). */
    static LearningRateSchedule cosineDecay(float initial, long decaySteps, float alpha) {
        checkSchedule(initial, decaySteps);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new LaminaException("CosineDecay needs alpha in [0, 1], got " + alpha + ".");
        }
        return step -> {
            double p = Math.min(step, decaySteps) / (double) decaySteps;
            double cosine = 0.5 * (1 + Math.cos(Math.PI * p));
            return (float) (initial * ((1 - alpha) * cosine + alpha));
        };
    }

    /** Checks shared by the schedules: a bad value here would make every learning rate NaN. */
    private static void checkSchedule(float initial, long decaySteps) {
        if (!(initial > 0 && initial < Float.POSITIVE_INFINITY)) {
            throw new LaminaException("A learning-rate schedule needs a positive initial rate, got " + initial + ".");
        }
        if (decaySteps <= 0) {
            throw new LaminaException("A learning-rate schedule needs a positive number of decay steps, got " + decaySteps + ".");
        }
    }
}
