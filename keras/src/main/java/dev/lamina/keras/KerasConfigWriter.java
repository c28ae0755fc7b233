package dev.lamina.keras;

import dev.lamina.Sequential;
import dev.lamina.initializers.Initializer;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Layer;
import dev.lamina.losses.Loss;
import dev.lamina.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a Lamina model's configuration as Keras 3 writes its own ({@code model.get_config()} and
 * {@code compile_config}), so that {@code keras.saving.load_model} rebuilds the same model.
 */
final class KerasConfigWriter {
    /** The Keras release whose file layout this module writes (and its tests load with). */
    static final String KERAS_VERSION = "3.15.1";

    private KerasConfigWriter() {
    }

    /** The model's config: {module, class_name: Sequential, config: {name, layers}, build_config}. */
    static Map<String, Object> model(Sequential model) {
        List<Object> layers = new ArrayList<>();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("batch_shape", Arrays.asList(null, model.inputWidth()));
        input.put("dtype", "float32");
        input.put("sparse", false);
        input.put("name", "input_layer");
        layers.add(object("keras.layers", "InputLayer", input));
        int width = model.inputWidth();
        for (Layer layer : model.layers()) {
            Map<String, Object> entry = object("keras.layers", layer.className(), layer(layer));
            entry.put("build_config", Map.of("input_shape", Arrays.asList(null, width)));
            layers.add(entry);
            width = layer.outputWidth();
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", model.name());
        config.put("trainable", true);
        config.put("dtype", dtypePolicy());
        config.put("layers", layers);
        config.put("build_input_shape", Arrays.asList(null, model.inputWidth()));
        Map<String, Object> m = object("keras", "Sequential", config);
        m.put("build_config", Map.of("input_shape", Arrays.asList(null, model.inputWidth())));
        return m;
    }

    private static Map<String, Object> layer(Layer layer) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", layer.name());
        c.put("trainable", true);
        c.put("dtype", dtypePolicy());
        if (layer instanceof Dense) {
            Dense d = (Dense) layer;
            c.put("units", d.units());
            c.put("activation", d.activation().kerasName());
            c.put("use_bias", true);
            c.put("kernel_initializer", initializer(d.kernelInitializer()));
            c.put("bias_initializer", initializer(d.biasInitializer()));
            c.put("kernel_regularizer", d.l1() == 0 && d.l2() == 0 ? null
                    : object("keras.regularizers", "L1L2", mapOf("l1", d.l1(), "l2", d.l2())));
            c.put("bias_regularizer", null);
            c.put("kernel_constraint", null);
            c.put("bias_constraint", null);
        } else if (layer instanceof Activation) {
            c.put("activation", ((Activation) layer).kind().kerasName());
        } else if (layer instanceof Dropout) {
            c.put("rate", ((Dropout) layer).rate());
            c.put("seed", null);
            c.put("noise_shape", null);
        } else if (layer instanceof BatchNormalization) {
            BatchNormalization b = (BatchNormalization) layer;
            c.put("axis", -1);
            c.put("momentum", b.momentum());
            c.put("epsilon", b.epsilon());
            c.put("center", true);
            c.put("scale", true);
            c.put("beta_initializer", initializer(Initializer.ZEROS));
            c.put("gamma_initializer", initializer(Initializer.ONES));
            c.put("moving_mean_initializer", initializer(Initializer.ZEROS));
            c.put("moving_variance_initializer", initializer(Initializer.ONES));
        } else {
            throw new KerasUnsupportedException("Cannot write layer " + layer.describe() + " to a Keras file: this module writes "
                    + "Dense, Activation, Dropout and BatchNormalization layers.");
        }
        return c;
    }

    /** Keras 3's compile_config, or null for a model that was not compiled. */
    static Map<String, Object> compile(Sequential model) {
        if (model.optimizer() == null || model.loss() == null) {
            return null;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", optimizer(model.optimizer()));
        c.put("loss", loss(model.loss()));
        c.put("loss_weights", null);
        c.put("metrics", new ArrayList<>(model.metricNames()));
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /** Keras 2's training_config, as legacy .h5 files hold it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> trainingConfig(Sequential model) {
        Map<String, Object> compile = compile(model);
        if (compile == null) {
            return null;
        }
        Map<String, Object> optimizer = (Map<String, Object>) compile.remove("optimizer");
        Map<String, Object> legacy = new LinkedHashMap<>(compile);
        legacy.put("optimizer_config", mapOf("class_name", optimizer.get("class_name"), "config", optimizer.get("config")));
        return legacy;
    }

    static Map<String, Object> optimizer(Optimizer optimizer) {
        Map<String, Object> own = optimizer.config();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", optimizer.name());
        c.put("learning_rate", own.get("learning_rate"));
        c.put("weight_decay", own.get("weight_decay"));
        c.put("clipnorm", own.get("clipnorm"));
        c.put("global_clipnorm", null);
        c.put("clipvalue", own.get("clipvalue"));
        c.put("use_ema", false);
        c.put("ema_momentum", 0.99);
        c.put("ema_overwrite_frequency", null);
        c.put("loss_scale_factor", null);
        c.put("gradient_accumulation_steps", null);
        own.forEach((key, value) -> {
            if (!c.containsKey(key)) {
                c.put(key, value);
            }
        });
        String className;
        switch (optimizer.name()) {
            case "sgd":
                className = "SGD";
                break;
            case "adam":
            case "adamw":
                className = optimizer.name().equals("adam") ? "Adam" : "AdamW";
                c.put("amsgrad", false);
                break;
            case "rmsprop":
                className = "RMSprop";
                c.put("momentum", 0.0);
                c.put("centered", false);
                break;
            case "adagrad":
                className = "Adagrad";
                break;
            default:
                throw new KerasUnsupportedException("Cannot write the optimizer " + optimizer.name() + " to a Keras file.");
        }
        return object("keras.optimizers", className, c);
    }

    static Object loss(Loss loss) {
        if (!loss.fromLogits() && !loss.name().equals("huber")) {
            return loss.name();
        }
        Map<String, Object> c = new LinkedHashMap<>();
        String className;
        switch (loss.name()) {
            case "huber":
                className = "Huber";
                c.put("name", "huber_loss");
                c.put("delta", loss.param());
                break;
            case "binary_crossentropy":
                className = "BinaryCrossentropy";
                break;
            case "categorical_crossentropy":
                className = "CategoricalCrossentropy";
                break;
            case "sparse_categorical_crossentropy":
                className = "SparseCategoricalCrossentropy";
                break;
            default:
                throw new KerasUnsupportedException("Cannot write the loss " + loss.name() + " to a Keras file.");
        }
        c.putIfAbsent("name", loss.name());
        c.put("reduction", "sum_over_batch_size");
        if (loss.fromLogits()) {
            c.put("from_logits", true);
        }
        return object("keras.losses", className, c);
    }

    private static Map<String, Object> initializer(Initializer initializer) {
        StringBuilder className = new StringBuilder();
        for (String part : initializer.kerasName().split("_")) {
            className.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        if (initializer == Initializer.RANDOM_NORMAL) {
            c.put("mean", 0.0);
            c.put("stddev", 0.05);
        } else if (initializer == Initializer.RANDOM_UNIFORM) {
            c.put("minval", -0.05);
            c.put("maxval", 0.05);
        }
        if (initializer != Initializer.ZEROS && initializer != Initializer.ONES) {
            c.put("seed", null);
        }
        return object("keras.initializers", className.toString(), c);
    }

    private static Map<String, Object> dtypePolicy() {
        return object("keras", "DTypePolicy", mapOf("name", "float32"));
    }

    private static Map<String, Object> object(String module, String className, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", module);
        m.put("class_name", className);
        m.put("config", config);
        m.put("registered_name", null);
        return m;
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
