package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import java.util.List;
import java.util.Locale;

/** Optimizers by Keras name, with Keras' default settings. */
public final class Optimizers {
    private static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

    private Optimizers() {
    }

    /** A new optimizer with defaults, by case-insensitive Keras name. */
    public static Optimizer of(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "sgd":
                return new SGD();
            case "adam":
                return new Adam();
            case "adamw":
                return new AdamW();
            case "rmsprop":
                return new RMSprop();
            case "adagrad":
                return new Adagrad();
            default:
                throw new LaminaException("Unknown optimizer '" + name + "'. Known optimizers: " + String.join(", ", NAMES) + ".");
        }
    }

    public static List<String> names() {
        return NAMES;
    }
}
