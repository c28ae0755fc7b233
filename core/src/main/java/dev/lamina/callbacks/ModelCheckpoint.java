package dev.lamina.callbacks;

import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model at the end of epochs, as Keras' {@code ModelCheckpoint}: every epoch, or with
 * {@code saveBestOnly} only when the monitored value ("val_loss" by default) improves. Files are
 * written to a temporary name and renamed, so a crash never leaves a half-written checkpoint.
 */
public class ModelCheckpoint extends Callback {
    private final Path file;
    private String monitor = "val_loss";
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private MonitorMode mode = MonitorMode.AUTO;
    private boolean maximise;
    private double best;

    public ModelCheckpoint(Path file) {
        this.file = file;
    }

    public ModelCheckpoint monitor(String monitor) {
        this.monitor = monitor;
        return this;
    }

    public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
        this.saveBestOnly = saveBestOnly;
        return this;
    }

    public ModelCheckpoint saveWeightsOnly(boolean saveWeightsOnly) {
        this.saveWeightsOnly = saveWeightsOnly;
        return this;
    }

    public ModelCheckpoint mode(String mode) {
        this.mode = MonitorMode.of(mode);
        return this;
    }

    @Override
    public void onTrainBegin() {
        maximise = mode.maximise(monitor);
        best = maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            Double current = logs.get(monitor);
            if (current == null || !(maximise ? current > best : current < best)) {
                return;
            }
            best = current;
        }
        if (saveWeightsOnly) {
            model().saveWeights(file);
        } else {
            model().save(file);
        }
    }
}
