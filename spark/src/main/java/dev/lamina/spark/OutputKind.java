package dev.lamina.spark;

import dev.lamina.Sequential;
import dev.lamina.losses.Loss;
import java.io.Serializable;

/**
 * What the network's outputs mean, from its loss, and so what transform writes: a class and its
 * probabilities for classifiers (as Spark's classifiers do), a number or a vector for regression.
 */
final class OutputKind implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Task { REGRESSION, BINARY, MULTICLASS }

    final Task task;
    /** Outputs per row; -1 when the model is not built yet. */
    final int width;
    /** The outputs are logits: transform applies the sigmoid or softmax itself. */
    final boolean fromLogits;

    OutputKind(Task task, int width, boolean fromLogits) {
        this.task = task;
        this.width = width;
        this.fromLogits = fromLogits;
    }

    static OutputKind of(Sequential model) {
        Loss loss = model.loss();
        int width = model.isBuilt() ? model.outputWidth() : -1;
        String name = loss.name();
        Task task = name.contains("categorical_crossentropy") ? Task.MULTICLASS
                : name.equals("binary_crossentropy") && width <= 1 ? Task.BINARY : Task.REGRESSION;
        return new OutputKind(task, width, loss.fromLogits());
    }

    boolean classifier() {
        return task != Task.REGRESSION;
    }

    /** Several regression targets: the prediction is a Vector rather than a number. */
    boolean vectorPrediction() {
        return task == Task.REGRESSION && width > 1;
    }

    String name() {
        return task.name().toLowerCase(java.util.Locale.ROOT);
    }

    static OutputKind parse(String task, int width, boolean fromLogits) {
        return new OutputKind(Task.valueOf(task.toUpperCase(java.util.Locale.ROOT)), width, fromLogits);
    }
}
