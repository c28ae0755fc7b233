package dev.lamina.layers;

import dev.lamina.LaminaException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns layers into Keras-style {class, name, config} maps and back, for saving models. */
public final class LayerConfig {
    private LayerConfig() {
    }

    public static Map<String, Object> toConfig(Layer layer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", layer.className());
        m.put("name", layer.name());
        m.put("config", layer.config());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Layer fromConfig(Map<String, Object> m) {
        Object className = m.get("class_name");
        Object raw = m.get("config");
        if (!(className instanceof String) || !(raw instanceof Map)) {
            throw new LaminaException("A layer entry needs 'class_name' and 'config', got " + m + ".");
        }
        Map<String, Object> c = (Map<String, Object>) raw;
        Layer layer;
        switch ((String) className) {
            case "Dense": {
                Dense d = new Dense(intOf(c, "units"), stringOf(c, "activation"));
                if (c.get("kernel_initializer") != null) {
                    d.kernelInitializer(stringOf(c, "kernel_initializer"));
                }
                if (c.get("bias_initializer") != null) {
                    d.biasInitializer(stringOf(c, "bias_initializer"));
                }
                if (c.get("kernel_regularizer") instanceof Map) {
                    Map<String, Object> r = (Map<String, Object>) c.get("kernel_regularizer");
                    d.kernelRegularizer(floatOf(r, "l1"), floatOf(r, "l2"));
                }
                layer = d;
                break;
            }
            case "Activation":
                layer = new Activation(stringOf(c, "activation"));
                break;
            case "Dropout":
                layer = new Dropout(floatOf(c, "rate"));
                break;
            case "BatchNormalization":
                layer = new BatchNormalization(floatOf(c, "momentum"), floatOf(c, "epsilon"));
                break;
            default:
                throw new LaminaException("Unknown layer class '" + className
                        + "'. Known: Dense, Activation, Dropout, BatchNormalization.");
        }
        if (m.get("name") instanceof String) {
            layer.name((String) m.get("name"));
        }
        return layer;
    }

    private static Object require(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) {
            throw new LaminaException("Layer configuration lacks '" + key + "': " + c + ".");
        }
        return v;
    }

    static int intOf(Map<String, Object> c, String key) {
        Object v = require(c, key);
        if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).intValue()) {
            throw new LaminaException("Layer configuration '" + key + "' must be an integer, got " + v + ".");
        }
        return ((Number) v).intValue();
    }

    static float floatOf(Map<String, Object> c, String key) {
        Object v = require(c, key);
        if (!(v instanceof Number)) {
            throw new LaminaException("Layer configuration '" + key + "' must be a number, got " + v + ".");
        }
        return ((Number) v).floatValue();
    }

    static String stringOf(Map<String, Object> c, String key) {
        Object v = require(c, key);
        if (!(v instanceof String)) {
            throw new LaminaException("Layer configuration '" + key + "' must be a string, got " + v + ".");
        }
        return (String) v;
    }
}
