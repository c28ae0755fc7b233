package dev.lamina.callbacks;

import dev.lamina.LaminaException;
import java.util.Locale;

/** Whether a monitored quantity should go down (loss) or up (accuracy), as Keras' mode="min|max|auto". */
public enum MonitorMode {
    MIN, MAX, AUTO;

    public static MonitorMode of(String mode) {
        try {
            return valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new LaminaException("Unknown mode '" + mode + "'. Use min, max or auto.");
        }
    }

    /** AUTO resolved as Keras does: maximise accuracies and AUC, minimise everything else. */
    public boolean maximise(String monitor) {
        if (this == AUTO) {
            String m = monitor.toLowerCase(Locale.ROOT);
            return m.endsWith("acc") || m.endsWith("accuracy") || m.endsWith("auc");
        }
        return this == MAX;
    }
}
