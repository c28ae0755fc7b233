package dev.lamina.cli;

import dev.lamina.LaminaException;
import java.util.List;
import java.util.Locale;

/**
 * What the network predicts, and the Keras choices that follow from it: the output layer, the
 * loss and the metric the course uses for each kind of target.
 */
enum Task {
    /** A number: one linear output, mean squared error, mean absolute error. */
    REGRESSION("mse", List.of("mae")),
    /** One of two classes: one sigmoid output (the probability of the second class), binary cross-entropy, accuracy. */
    BINARY("binary_crossentropy", List.of("accuracy")),
    /** One of several classes: softmax over the classes, sparse categorical cross-entropy, accuracy. */
    MULTICLASS("sparse_categorical_crossentropy", List.of("accuracy"));

    private final String defaultLoss;
    private final List<String> defaultMetrics;

    Task(String defaultLoss, List<String> defaultMetrics) {
        this.defaultLoss = defaultLoss;
        this.defaultMetrics = defaultMetrics;
    }

    String defaultLoss() {
        return defaultLoss;
    }

    List<String> defaultMetrics() {
        return defaultMetrics;
    }

    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean isClassification() {
        return this != REGRESSION;
    }

    static Task of(String name) {
        for (Task t : values()) {
            if (t.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new LaminaException("Unknown task '" + name + "'. Use regression, binary or multiclass.");
    }

    /** The task a loss implies when --task is not given: a cross-entropy means classification. */
    static Task fromLoss(String loss) {
        if (loss == null) {
            return REGRESSION;
        }
        switch (loss.trim().toLowerCase(Locale.ROOT)) {
            case "binary_crossentropy":
                return BINARY;
            case "categorical_crossentropy":
            case "sparse_categorical_crossentropy":
                return MULTICLASS;
            default:
                return REGRESSION;
        }
    }

    /** Fails when the loss cannot train this task (a cross-entropy on a regression target, and so on). */
    void checkLoss(String loss) {
        Task implied = fromLoss(loss);
        boolean fits = implied == this || (this == BINARY && implied == REGRESSION);
        if (!fits) {
            throw new LaminaException("--loss " + loss + " does not fit --task " + cliName() + "; use --loss " + defaultLoss
                    + " (or leave --loss out).");
        }
    }
}
