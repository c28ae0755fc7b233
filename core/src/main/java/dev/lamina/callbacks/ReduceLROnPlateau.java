package dev.lamina.callbacks;

import dev.lamina.LaminaException;
import java.util.Map;

/**
 * Lowers the learning rate when a metric has stopped improving, as Keras' {@code ReduceLROnPlateau}:
 * monitor "val_loss", factor 0.1, patience 10, mode auto, minDelta 1e-4, cooldown 0, minLr 0.
 */
public class ReduceLROnPlateau extends Callback {
    private String monitor = "val_loss";
    private double factor = 0.1;
    private int patience = 10;
    private MonitorMode mode = MonitorMode.AUTO;
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;

    private boolean maximise;
    private double best;
    private int wait;
    private int cooldownCounter;

    public ReduceLROnPlateau monitor(String monitor) {
        this.monitor = monitor;
        return this;
    }

    public ReduceLROnPlateau factor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new LaminaException("ReduceLROnPlateau factor must be in (0, 1), got " + factor + ".");
        }
        this.factor = factor;
        return this;
    }

    public ReduceLROnPlateau patience(int patience) {
        if (patience < 0) {
            throw new LaminaException("ReduceLROnPlateau patience must not be negative, got " + patience + ".");
        }
        this.patience = patience;
        return this;
    }

    public ReduceLROnPlateau mode(String mode) {
        this.mode = MonitorMode.of(mode);
        return this;
    }

    public ReduceLROnPlateau minDelta(double minDelta) {
        this.minDelta = minDelta;
        return this;
    }

    public ReduceLROnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new LaminaException("ReduceLROnPlateau cooldown must not be negative, got " + cooldown + ".");
        }
        this.cooldown = cooldown;
        return this;
    }

    public ReduceLROnPlateau minLr(double minLr) {
        if (!(minLr >= 0 && minLr < Double.POSITIVE_INFINITY)) {
            throw new LaminaException("ReduceLROnPlateau minLr must be a non-negative number, got " + minLr + ".");
        }
        this.minLr = minLr;
        return this;
    }

    @Override
    public void onTrainBegin() {
        maximise = mode.maximise(monitor);
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = logs.get(monitor);
        if (current == null) {
            return;
        }
        boolean inCooldown = cooldownCounter > 0;
        if (inCooldown) {
            cooldownCounter--;
            wait = 0;
        }
        boolean improved = maximise ? current > best + minDelta : current < best - minDelta;
        if (improved) {
            best = current;
            wait = 0;
        } else if (!inCooldown) {
            wait++;
            if (wait >= patience) {
                float lr = model().optimizer().learningRate();
                if (lr > minLr) {
                    model().optimizer().setLearningRate((float) Math.max(lr * factor, minLr));
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
