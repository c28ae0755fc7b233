package dev.lamina.optimizers;

import dev.lamina.LaminaException;
import java.util.Map;

/** Rebuilds an optimizer from the settings {@link Optimizer#config()} saved. */
public final class OptimizerConfig {
    private OptimizerConfig() {
    }

    public static Optimizer fromConfig(Map<String, Object> c) {
        String name = String.valueOf(c.get("name"));
        float lr = number(c, "learning_rate", Float.NaN);
        Optimizer o;
        switch (name) {
            case "sgd":
                o = new SGD(lr, number(c, "momentum", 0f), Boolean.TRUE.equals(c.get("nesterov")));
                break;
            case "adam":
                o = new Adam(lr, number(c, "beta_1", 0.9f), number(c, "beta_2", 0.999f), number(c, "epsilon", 1e-7f));
                break;
            case "adamw":
                o = new AdamW(lr, number(c, "weight_decay", 0.004f), number(c, "beta_1", 0.9f), number(c, "beta_2", 0.999f),
                        number(c, "epsilon", 1e-7f));
                break;
            case "rmsprop":
                o = new RMSprop(lr, number(c, "rho", 0.9f), number(c, "epsilon", 1e-7f));
                break;
            case "adagrad":
                o = new Adagrad(lr, number(c, "initial_accumulator_value", 0.1f), number(c, "epsilon", 1e-7f));
                break;
            default:
                throw new LaminaException("Unknown optimizer '" + name + "' in the saved configuration.");
        }
        if (c.get("clipnorm") != null) {
            o.clipNorm(number(c, "clipnorm", 0f));
        }
        if (c.get("clipvalue") != null) {
            o.clipValue(number(c, "clipvalue", 0f));
        }
        return o;
    }

    private static float number(Map<String, Object> c, String key, float fallback) {
        Object v = c.get(key);
        if (v == null) {
            if (Float.isNaN(fallback)) {
                throw new LaminaException("The saved optimizer lacks '" + key + "'.");
            }
            return fallback;
        }
        if (!(v instanceof Number)) {
            throw new LaminaException("The saved optimizer's '" + key + "' is not a number: " + v + ".");
        }
        return ((Number) v).floatValue();
    }
}
