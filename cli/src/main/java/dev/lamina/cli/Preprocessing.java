package dev.lamina.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lamina.LaminaException;
import dev.lamina.data.Standardizer;
import java.util.HashSet;
import java.util.List;

/**
 * What {@code predict} must do to a new table before the model sees it, kept beside the model in
 * {@code preprocessing.json}: which columns, in which order, standardised with which statistics
 * (those of the training rows only), and how to turn outputs back into the target's values.
 *
 * @param format   always {@link #FORMAT}, so a stray JSON file is recognised as not ours
 * @param version  {@link #VERSION}
 * @param features the feature columns in the order the model takes them
 * @param target   the column the model predicts
 * @param task     regression, binary or multiclass
 * @param classes  the class values, sorted, for classification (output i means classes[i]); null for regression
 * @param mean     per feature, the training rows' mean
 * @param std      per feature, the training rows' standard deviation (1 for a constant column)
 * @param network  the network's shape, for people reading the file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Preprocessing(String format, int version, List<String> features, String target, String task, float[] classes,
                     float[] mean, float[] std, NetworkSpec network) {
    static final String FORMAT = "lamina-preprocessing";
    static final int VERSION = 1;

    static Preprocessing of(List<String> features, String target, Task task, ClassLabels classes, Standardizer scale,
                            NetworkSpec network) {
        return new Preprocessing(FORMAT, VERSION, features, target, task.cliName(), classes == null ? null : classes.values(),
                scale.mean(), scale.std(), network);
    }

    /** Fails unless the file was written by this version of lamina train. */
    Preprocessing checked(String source) {
        if (!FORMAT.equals(format) || features == null || mean == null || std == null || task == null
                || mean.length != features.size() || std.length != features.size()) {
            throw new LaminaException(source + " is not a lamina preprocessing file; use the directory written by lamina train --out.");
        }
        if (version != VERSION) {
            throw new LaminaException(source + " has version " + version + "; this lamina reads version " + VERSION + ".");
        }
        if (taskKind().isClassification() && (classes == null || classes.length < 2)) {
            throw new LaminaException(source + " is a " + task + " model without its classes; train it again.");
        }
        if (taskKind() == Task.BINARY && classes.length != 2) {
            throw damaged(source, "it is a binary model with " + classes.length + " classes");
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw damaged(source, "it lists a feature more than once (" + String.join(", ", features) + ")");
        }
        for (int f = 0; f < features.size(); f++) {
            // lamina train writes 1 for a constant column: a 0 or negative value would divide by zero or flip the column
            if (!Float.isFinite(mean[f]) || !Float.isFinite(std[f]) || std[f] <= 0) {
                throw damaged(source, "feature '" + features.get(f) + "' has mean " + mean[f] + " and standard deviation " + std[f]
                        + " (a standard deviation must be a positive number)");
            }
        }
        for (int c = 0; classes != null && c < classes.length; c++) {
            if (!Float.isFinite(classes[c]) || c > 0 && !(classes[c] > classes[c - 1])) {
                throw damaged(source, "its classes are not distinct numbers in ascending order");
            }
        }
        return this;
    }

    private static LaminaException damaged(String source, String what) {
        return new LaminaException(source + " was changed or damaged since lamina train wrote it: " + what
                + ". Train again, or restore the file.");
    }

    Task taskKind() {
        return Task.of(task);
    }

    Standardizer standardizer() {
        return new Standardizer(mean, std);
    }

    ClassLabels labels() {
        return classes == null ? null : new ClassLabels(classes);
    }
}
