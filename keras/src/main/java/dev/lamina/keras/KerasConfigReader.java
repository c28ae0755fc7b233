package dev.lamina.keras;

import dev.lamina.LaminaException;
import dev.lamina.backend.ActivationKind;
import dev.lamina.initializers.Initializer;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Layer;
import dev.lamina.losses.Loss;
import dev.lamina.optimizers.Adagrad;
import dev.lamina.optimizers.Adam;
import dev.lamina.optimizers.AdamW;
import dev.lamina.optimizers.Optimizer;
import dev.lamina.optimizers.RMSprop;
import dev.lamina.optimizers.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a Keras model configuration (the JSON of {@code model.get_config()}, Keras 3 or Keras 2) and
 * its compile configuration into a {@link KerasSpec}. Anything Lamina cannot run as Keras would is
 * refused with a {@link KerasUnsupportedException} that names it: a half-faithful model is worse than
 * none.
 */
final class KerasConfigReader {
    static final String SUPPORTED = "Lamina reads a Sequential model of InputLayer, Dense, Activation, Dropout and "
            + "BatchNormalization layers (activations: " + activationNames() + "; initializers: " + initializerNames()
            + "; kernel regularizers L1, L2, L1L2), compiled with SGD, Adam, AdamW, RMSprop or Adagrad and a loss of: "
            + String.join(", ", Loss.names()) + ".";

    private static final List<String> LAYERS = List.of("InputLayer", "Dense", "Activation", "Dropout", "BatchNormalization");

    private KerasConfigReader() {
    }

    // ------------------------------------------------------------------ the model

    static KerasSpec read(Map<String, Object> model, Map<String, Object> compile, boolean legacyTraining) {
        String className = string(model, "class_name", "the model");
        if (!className.equals("Sequential")) {
            throw new KerasUnsupportedException("The model is a Keras " + className + (className.equals("Functional")
                    || className.equals("Model") ? " (functional API) model" : " model") + "; only Sequential models are "
                    + "supported. " + SUPPORTED);
        }
        Map<String, Object> config = map(model, "config", "the Sequential model");
        String name = config.get("name") instanceof String ? (String) config.get("name") : "sequential";
        List<Object> entries = list(config, "layers", "the Sequential model");
        for (Object entry : entries) {      // name an unsupported layer before anything else about it
            Map<String, Object> layer = asMap(entry, "a layer of the model");
            String layerClass = string(layer, "class_name", "a layer");
            Object layerConfig = layer.get("config");
            String layerName = layerConfig instanceof Map && ((Map<?, ?>) layerConfig).get("name") instanceof String
                    ? " '" + ((Map<?, ?>) layerConfig).get("name") + "'" : "";
            checkNotCustom(layer, layerClass, layerClass + layerName);
            if (!LAYERS.contains(layerClass)) {
                throw new KerasUnsupportedException("Layer " + layerClass + layerName + " is not supported. " + SUPPORTED);
            }
        }
        int inputWidth = -1;
        List<Layer> layers = new ArrayList<>();
        for (Object entry : entries) {
            Map<String, Object> layer = asMap(entry, "a layer of the model");
            String layerClass = string(layer, "class_name", "a layer");
            Map<String, Object> c = map(layer, "config", layerClass);
            if (layerClass.equals("InputLayer")) {
                if (!layers.isEmpty() || inputWidth > 0) {
                    throw new KerasUnsupportedException("The model has an InputLayer after other layers; " + SUPPORTED);
                }
                inputWidth = width(c.containsKey("batch_shape") ? c.get("batch_shape") : c.get("batch_input_shape"), layerClass);
                continue;
            }
            if (layers.isEmpty() && inputWidth < 0 && c.get("batch_input_shape") != null) {
                inputWidth = width(c.get("batch_input_shape"), layerClass);   // Keras 2 puts the input shape on the first layer
            }
            layers.add(layer(layerClass, layer, c));
        }
        if (layers.isEmpty()) {
            throw new KerasUnsupportedException("The Sequential model has no layers.");
        }
        if (inputWidth < 0 && config.get("build_input_shape") != null) {
            inputWidth = width(config.get("build_input_shape"), "the model's build_input_shape");
        }
        if (inputWidth < 0) {
            throw new KerasUnsupportedException("The model does not say its input shape (no InputLayer, no build_input_shape): "
                    + "it was never built in Keras. Build it there (e.g. keras.Input((n,)) first) and save it again.");
        }
        KerasSpec.Compiled compiled = compile == null ? null : compiled(compile, legacyTraining);
        return new KerasSpec(name, inputWidth, layers, compiled);
    }

    private static Layer layer(String className, Map<String, Object> entry, Map<String, Object> c) {
        String name = c.get("name") instanceof String ? (String) c.get("name") : null;
        String what = className + (name == null ? "" : " '" + name + "'");
        checkNotCustom(entry, className, what);
        if (Boolean.FALSE.equals(c.get("trainable"))) {
            throw new KerasUnsupportedException("Layer " + what + " is frozen (trainable=False); Lamina trains every layer. "
                    + "Make it trainable in Keras and save again.");
        }
        checkDtype(c.get("dtype"), what);
        Layer layer;
        switch (className) {
            case "Dense":
                layer = dense(c, what);
                break;
            case "Activation":
                layer = new Activation(activation(c.get("activation"), what));
                break;
            case "Dropout":
                requireNull(c, what, "noise_shape");
                layer = new Dropout(number(c, "rate", what));
                break;
            case "BatchNormalization":
                layer = batchNormalization(c, what);
                break;
            default:
                throw new KerasUnsupportedException("Layer " + what + " (" + className + ") is not supported. " + SUPPORTED);
        }
        if (name != null) {
            layer.name(name);
        }
        return layer;
    }

    /** Keras 3 marks a user's class with a null or non-Keras module, or a registered name of its own ("package>Class"). */
    private static void checkNotCustom(Map<String, Object> entry, String className, String what) {
        Object module = entry.get("module");
        Object registered = entry.get("registered_name");
        boolean custom = entry.containsKey("module") && !(module instanceof String && ((String) module).startsWith("keras"))
                || registered instanceof String && !registered.equals(className);
        if (custom) {
            throw new KerasUnsupportedException("Layer " + what + " is a custom object (" + (registered != null ? registered
                    : "module " + module) + "), which Lamina cannot run. " + SUPPORTED);
        }
    }

    private static Dense dense(Map<String, Object> c, String what) {
        if (Boolean.FALSE.equals(c.get("use_bias"))) {
            throw new KerasUnsupportedException("Layer " + what + " has use_bias=False; Lamina's Dense always has a bias.");
        }
        requireNull(c, what, "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint",
                "lora_rank", "quantization_config");
        Dense d = new Dense(integer(c, "units", what), activation(c.get("activation"), what));
        if (c.get("kernel_initializer") != null) {
            d.kernelInitializer(initializer(c.get("kernel_initializer"), what));
        }
        if (c.get("bias_initializer") != null) {
            d.biasInitializer(initializer(c.get("bias_initializer"), what).kerasName());
        }
        if (c.get("kernel_regularizer") != null) {
            float[] l1l2 = regularizer(c.get("kernel_regularizer"), what);
            d.kernelRegularizer(l1l2[0], l1l2[1]);
        }
        return d;
    }

    private static BatchNormalization batchNormalization(Map<String, Object> c, String what) {
        Object axis = c.get("axis");
        boolean lastAxis = axis == null || Objects.equals(asNumber(axis), -1.0) || Objects.equals(asNumber(axis), 1.0)
                || (axis instanceof List && ((List<?>) axis).size() == 1
                        && (Objects.equals(asNumber(((List<?>) axis).get(0)), -1.0) || Objects.equals(asNumber(((List<?>) axis).get(0)), 1.0)));
        if (!lastAxis) {
            throw new KerasUnsupportedException("Layer " + what + " normalises axis " + axis + "; Lamina's BatchNormalization "
                    + "normalises the feature axis (-1).");
        }
        if (Boolean.FALSE.equals(c.get("center")) || Boolean.FALSE.equals(c.get("scale"))) {
            throw new KerasUnsupportedException("Layer " + what + " has center=False or scale=False; Lamina's BatchNormalization "
                    + "has both beta and gamma.");
        }
        if (Boolean.TRUE.equals(c.get("renorm")) || c.get("virtual_batch_size") != null) {
            throw new KerasUnsupportedException("Layer " + what + " uses batch renormalization or virtual batches, which Lamina "
                    + "does not have.");
        }
        requireNull(c, what, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
        requireInitializer(c, "beta_initializer", Initializer.ZEROS, what);
        requireInitializer(c, "gamma_initializer", Initializer.ONES, what);
        requireInitializer(c, "moving_mean_initializer", Initializer.ZEROS, what);
        requireInitializer(c, "moving_variance_initializer", Initializer.ONES, what);
        return new BatchNormalization(c.get("momentum") == null ? 0.99 : number(c, "momentum", what),
                c.get("epsilon") == null ? 1e-3 : number(c, "epsilon", what));
    }

    private static void requireInitializer(Map<String, Object> c, String key, Initializer expected, String what) {
        if (c.get(key) != null && initializer(c.get(key), what) != expected) {
            throw new KerasUnsupportedException("Layer " + what + " has " + key + " " + c.get(key) + "; Lamina's "
                    + "BatchNormalization starts it at " + expected.kerasName() + ".");
        }
    }

    // ------------------------------------------------------------------ layer settings

    static ActivationKind activation(Object value, String what) {
        if (value == null) {
            return ActivationKind.LINEAR;
        }
        String name = value instanceof String ? (String) value : null;
        if (value instanceof Map) {   // Keras 3 may serialise a built-in activation as an object
            Map<String, Object> m = asMap(value, what);
            Object cfg = m.get("config");
            name = cfg instanceof String ? (String) cfg : m.get("class_name") instanceof String ? (String) m.get("class_name") : null;
        }
        try {
            return ActivationKind.of(name);
        } catch (LaminaException e) {
            throw new KerasUnsupportedException("Layer " + what + " uses the activation " + value + ", which Lamina does not have. "
                    + "Supported activations: " + activationNames() + ".");
        }
    }

    private static Initializer initializer(Object value, String what) {
        ClassAndConfig named = ClassAndConfig.of(value, what, "'s initializer");
        String className = named.className();
        Map<String, Object> config = named.config();
        String key = snake(className);
        Initializer found = null;
        for (Initializer i : Initializer.values()) {
            if (i.kerasName().equals(key)) {
                found = i;
            }
        }
        if (found == null) {
            throw new KerasUnsupportedException("Layer " + what + " uses the initializer " + className + ", which Lamina does not "
                    + "have. Supported initializers: " + initializerNames() + ".");
        }
        if (found == Initializer.RANDOM_NORMAL && !(near(config, "mean", 0) && near(config, "stddev", 0.05))
                || found == Initializer.RANDOM_UNIFORM && !(near(config, "minval", -0.05) && near(config, "maxval", 0.05))) {
            throw new KerasUnsupportedException("Layer " + what + " uses " + className + " with " + config + "; Lamina's "
                    + found.kerasName() + " has Keras' default settings only.");
        }
        return found;
    }

    /** An initializer's or regularizer's setting: a bare name ("he_normal"), or {"class_name": ..., "config": {...}}. */
    private record ClassAndConfig(String className, Map<String, Object> config) {
        static ClassAndConfig of(Object value, String what, String role) {
            if (value instanceof String) {
                return new ClassAndConfig((String) value, Map.of());
            }
            Map<String, Object> m = asMap(value, what);
            String className = string(m, "class_name", what + role);
            return new ClassAndConfig(className, m.get("config") instanceof Map ? asMap(m.get("config"), what) : Map.of());
        }
    }

    /** l1 and l2 factors of a kernel regularizer (L1, L2, L1L2, or Keras' names "l1", "l2", "l1_l2"). */
    private static float[] regularizer(Object value, String what) {
        ClassAndConfig named = ClassAndConfig.of(value, what, "'s kernel_regularizer");
        String className = named.className();
        Map<String, Object> config = named.config();
        switch (snake(className).replace("_", "")) {
            case "l1":
                return new float[] {floatOr(config, "l1", 0.01f, what), 0f};
            case "l2":
                return new float[] {0f, floatOr(config, "l2", 0.01f, what)};
            case "l1l2":
                return new float[] {floatOr(config, "l1", 0f, what), floatOr(config, "l2", 0f, what)};
            default:
                throw new KerasUnsupportedException("Layer " + what + " uses the regularizer " + className + "; Lamina has "
                        + "L1, L2 and L1L2 kernel regularizers.");
        }
    }

    private static void checkDtype(Object dtype, String what) {
        String name = null;
        if (dtype instanceof String) {
            name = (String) dtype;
        } else if (dtype instanceof Map) {
            Object cfg = ((Map<?, ?>) dtype).get("config");
            name = cfg instanceof Map && ((Map<?, ?>) cfg).get("name") instanceof String ? (String) ((Map<?, ?>) cfg).get("name") : null;
        }
        if (dtype != null && !"float32".equals(name)) {
            throw new KerasUnsupportedException("Layer " + what + " computes in " + (name == null ? dtype : name) + "; Lamina "
                    + "computes in float32.");
        }
    }

    private static int width(Object shape, String what) {
        if (!(shape instanceof List) || ((List<?>) shape).size() != 2 || !(((List<?>) shape).get(1) instanceof Number)) {
            throw new KerasUnsupportedException(what + " takes inputs of shape " + shape + "; Lamina's Sequential takes rows of "
                    + "numbers (shape [batch, features]).");
        }
        int w = ((Number) ((List<?>) shape).get(1)).intValue();
        if (w <= 0) {
            throw new KerasUnsupportedException(what + " has an input width of " + w + ".");
        }
        return w;
    }

    // ------------------------------------------------------------------ compile settings

    /**
     * A Keras 3 {@code compile_config} ({@code optimizer} key) or a legacy {@code training_config}
     * ({@code optimizer_config} key), as the model's compile call.
     */
    static KerasSpec.Compiled compiled(Map<String, Object> c, boolean legacy) {
        Object optimizer = legacy ? c.get("optimizer_config") : c.get("optimizer");
        if (optimizer == null || c.get("loss") == null) {
            return null;
        }
        requireNull(c, "the compile settings", "loss_weights");
        Object weighted = c.get("weighted_metrics");
        if (weighted instanceof List && !((List<?>) weighted).isEmpty()) {
            throw new KerasUnsupportedException("The model is compiled with weighted_metrics " + weighted + ", which Lamina does "
                    + "not have.");
        }
        Loss loss = loss(c.get("loss"));
        return new KerasSpec.Compiled(optimizer(optimizer), loss, metrics(c.get("metrics")));
    }

    static Optimizer optimizer(Object value) {
        Map<String, Object> m = value instanceof String ? Map.of("class_name", value, "config", Map.of()) : asMap(value, "the optimizer");
        String className = string(m, "class_name", "the optimizer").replace("Custom>", "");
        Map<String, Object> c = m.get("config") instanceof Map ? asMap(m.get("config"), "the optimizer") : Map.of();
        String what = "The optimizer " + className;
        Object lrValue = c.containsKey("learning_rate") ? c.get("learning_rate") : c.get("lr");
        if (lrValue instanceof Map) {
            Object schedule = ((Map<?, ?>) lrValue).get("class_name");
            throw new KerasUnsupportedException(what + " uses the learning-rate schedule " + schedule + "; Lamina reads a "
                    + "constant learning rate from Keras files. Set the schedule in Java after loading.");
        }
        for (String key : new String[] {"global_clipnorm", "loss_scale_factor", "gradient_accumulation_steps", "ema_overwrite_frequency"}) {
            if (c.get(key) != null) {
                throw new KerasUnsupportedException(what + " sets " + key + "=" + c.get(key) + ", which Lamina does not have.");
            }
        }
        if (Boolean.TRUE.equals(c.get("use_ema")) || Boolean.TRUE.equals(c.get("amsgrad")) || Boolean.TRUE.equals(c.get("centered"))) {
            throw new KerasUnsupportedException(what + " uses EMA, AMSGrad or centered RMSprop, which Lamina does not have.");
        }
        if (c.get("decay") instanceof Number && ((Number) c.get("decay")).doubleValue() != 0) {
            throw new KerasUnsupportedException(what + " has Keras 2's decay=" + c.get("decay") + ", which Lamina does not have.");
        }
        String key = className.toLowerCase(Locale.ROOT);
        if (!key.equals("adamw") && c.get("weight_decay") instanceof Number && ((Number) c.get("weight_decay")).doubleValue() != 0) {
            throw new KerasUnsupportedException(what + " has weight_decay=" + c.get("weight_decay") + "; Lamina decays weights "
                    + "in AdamW only.");
        }
        Optimizer o;
        switch (key) {
            case "sgd":
                o = new SGD(floatOr(c, "learning_rate", floatOr(c, "lr", 0.01f, what), what), floatOr(c, "momentum", 0f, what),
                        Boolean.TRUE.equals(c.get("nesterov")));
                break;
            case "adam":
                o = new Adam(lr(c, what), floatOr(c, "beta_1", 0.9f, what), floatOr(c, "beta_2", 0.999f, what),
                        floatOr(c, "epsilon", 1e-7f, what));
                break;
            case "adamw":
                o = new AdamW(lr(c, what), floatOr(c, "weight_decay", 0.004f, what), floatOr(c, "beta_1", 0.9f, what),
                        floatOr(c, "beta_2", 0.999f, what), floatOr(c, "epsilon", 1e-7f, what));
                break;
            case "rmsprop":
                if (floatOr(c, "momentum", 0f, what) != 0f) {
                    throw new KerasUnsupportedException(what + " has momentum=" + c.get("momentum") + "; Lamina's RMSprop has "
                            + "no momentum.");
                }
                o = new RMSprop(lr(c, what), floatOr(c, "rho", 0.9f, what), floatOr(c, "epsilon", 1e-7f, what));
                break;
            case "adagrad":
                o = new Adagrad(lr(c, what), floatOr(c, "initial_accumulator_value", 0.1f, what), floatOr(c, "epsilon", 1e-7f, what));
                break;
            default:
                throw new KerasUnsupportedException("The optimizer " + className + " is not supported. " + SUPPORTED);
        }
        if (c.get("clipnorm") != null) {
            o.clipNorm(floatOr(c, "clipnorm", 0f, what));
        }
        if (c.get("clipvalue") != null) {
            o.clipValue(floatOr(c, "clipvalue", 0f, what));
        }
        return o;
    }

    private static float lr(Map<String, Object> c, String what) {
        return floatOr(c, "learning_rate", floatOr(c, "lr", 0.001f, what), what);
    }

    static Loss loss(Object value) {
        if (value instanceof String) {
            try {
                return Loss.of((String) value);
            } catch (LaminaException e) {
                throw new KerasUnsupportedException("The loss " + value + " is not supported. " + SUPPORTED);
            }
        }
        if (value instanceof List || (value instanceof Map && !((Map<?, ?>) value).containsKey("class_name"))) {
            throw new KerasUnsupportedException("The model is compiled with one loss per output (" + value + "); Lamina's "
                    + "Sequential has one output.");
        }
        Map<String, Object> m = asMap(value, "the loss");
        String className = string(m, "class_name", "the loss");
        Map<String, Object> c = m.get("config") instanceof Map ? asMap(m.get("config"), "the loss") : Map.of();
        String what = "The loss " + className;
        if (c.get("label_smoothing") instanceof Number && ((Number) c.get("label_smoothing")).doubleValue() != 0) {
            throw new KerasUnsupportedException(what + " has label_smoothing=" + c.get("label_smoothing") + ", which Lamina does "
                    + "not have.");
        }
        if (c.get("reduction") != null && !"sum_over_batch_size".equals(c.get("reduction")) && !"auto".equals(c.get("reduction"))) {
            throw new KerasUnsupportedException(what + " has reduction=" + c.get("reduction") + "; Lamina reduces as "
                    + "sum_over_batch_size.");
        }
        if (c.get("ignore_class") != null) {
            throw new KerasUnsupportedException(what + " has ignore_class=" + c.get("ignore_class") + ", which Lamina does not have.");
        }
        boolean logits = Boolean.TRUE.equals(c.get("from_logits"));
        switch (className) {
            case "MeanSquaredError":
                return Loss.meanSquaredError();
            case "MeanAbsoluteError":
                return Loss.meanAbsoluteError();
            case "Huber":
                return Loss.huber(floatOr(c, "delta", 1f, what));   // Keras 3 does not save delta: it reloads with 1.0 too
            case "BinaryCrossentropy":
                return Loss.binaryCrossentropy(logits);
            case "CategoricalCrossentropy":
                return Loss.categoricalCrossentropy(logits);
            case "SparseCategoricalCrossentropy":
                return Loss.sparseCategoricalCrossentropy(logits);
            default:
                throw new KerasUnsupportedException("The loss " + className + " is not supported. " + SUPPORTED);
        }
    }

    private static List<String> metrics(Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof List)) {
            throw new KerasUnsupportedException("The model's metrics " + value + " are not a list; Lamina's Sequential has one "
                    + "output.");
        }
        for (Object m : (List<?>) value) {
            if (m instanceof List) {          // Keras 2 may nest the list per output
                out.addAll(metrics(m));
            } else if (m instanceof String) {
                out.add((String) m);
            } else if (m instanceof Map && "MeanMetricWrapper".equals(((Map<?, ?>) m).get("class_name"))) {
                // tf.keras 2 wraps a metric given by name: {"fn": "mean_absolute_error", "name": "mae"}
                Object config = ((Map<?, ?>) m).get("config");
                Object fn = config instanceof Map ? ((Map<?, ?>) config).get("fn") : null;
                if (!(fn instanceof String)) {
                    throw new KerasUnsupportedException("The metric " + m + " is not supported.");
                }
                out.add((String) fn);
            } else if (m instanceof Map && ((Map<?, ?>) m).get("class_name") instanceof String) {
                out.add(metricName((String) ((Map<?, ?>) m).get("class_name")));
            } else {
                throw new KerasUnsupportedException("The metric " + m + " is not supported.");
            }
        }
        return out;
    }

    private static String metricName(String className) {
        switch (className) {
            case "MeanAbsoluteError":
                return "mae";
            case "MeanSquaredError":
                return "mse";
            case "BinaryAccuracy":
                return "binary_accuracy";
            case "CategoricalAccuracy":
                return "categorical_accuracy";
            case "SparseCategoricalAccuracy":
                return "sparse_categorical_accuracy";
            default:
                throw new KerasUnsupportedException("The metric " + className + " is not supported; Lamina has mae, mse, accuracy, "
                        + "binary_accuracy, categorical_accuracy and sparse_categorical_accuracy.");
        }
    }

    // ------------------------------------------------------------------ JSON helpers

    static String snake(String className) {
        return className.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String activationNames() {
        List<String> names = new ArrayList<>();
        for (ActivationKind k : ActivationKind.values()) {
            names.add(k.kerasName());
        }
        names.add("silu");
        return String.join(", ", names);
    }

    private static String initializerNames() {
        List<String> names = new ArrayList<>();
        for (Initializer i : Initializer.values()) {
            names.add(i.kerasName());
        }
        return String.join(", ", names);
    }

    private static void requireNull(Map<String, Object> c, String what, String... keys) {
        for (String key : keys) {
            if (c.get(key) != null) {
                throw new KerasUnsupportedException((what.startsWith("the") ? "In " + what : "Layer " + what) + ", " + key + " is "
                        + c.get(key) + "; Lamina does not have it (only null is supported).");
            }
        }
    }

    private static boolean near(Map<String, Object> c, String key, double expected) {
        Object v = c.get(key);
        return v == null || v instanceof Number && Math.abs(((Number) v).doubleValue() - expected) < 1e-9;
    }

    private static Double asNumber(Object v) {
        return v instanceof Number ? ((Number) v).doubleValue() : null;
    }

    private static float number(Map<String, Object> c, String key, String what) {
        Object v = c.get(key);
        if (!(v instanceof Number)) {
            throw new KerasFileFormatException(what + "'s " + key + " is " + v + ", not a number.");
        }
        return ((Number) v).floatValue();
    }

    private static float floatOr(Map<String, Object> c, String key, float fallback, String what) {
        return c.get(key) == null ? fallback : number(c, key, what);
    }

    private static int integer(Map<String, Object> c, String key, String what) {
        Object v = c.get(key);
        if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).intValue() || ((Number) v).intValue() <= 0) {
            throw new KerasFileFormatException(what + "'s " + key + " is " + v + ", not a positive integer.");
        }
        return ((Number) v).intValue();
    }

    private static String string(Map<String, Object> m, String key, String what) {
        Object v = m.get(key);
        if (!(v instanceof String)) {
            throw new KerasFileFormatException(what + " has no '" + key + "' name (got " + v + ").");
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object v, String what) {
        if (!(v instanceof Map)) {
            throw new KerasFileFormatException(what + " is not a JSON object: " + v + ".");
        }
        return (Map<String, Object>) v;
    }

    private static Map<String, Object> map(Map<String, Object> m, String key, String what) {
        return asMap(m.get(key), what + "'s '" + key + "'");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key, String what) {
        Object v = m.get(key);
        if (!(v instanceof List)) {
            throw new KerasFileFormatException(what + "'s '" + key + "' is not a JSON list.");
        }
        return (List<Object>) v;
    }
}
