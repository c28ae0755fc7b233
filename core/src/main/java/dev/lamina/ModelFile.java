package dev.lamina;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import dev.lamina.io.ModelFileException;
import dev.lamina.io.SafeTensors;
import dev.lamina.layers.Layer;
import dev.lamina.layers.LayerConfig;
import dev.lamina.layers.Parameter;
import dev.lamina.losses.Loss;
import dev.lamina.optimizers.Optimizer;
import dev.lamina.optimizers.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lamina's model file: one safetensors file whose "__metadata__" holds the model's JSON
 * configuration (layers, input width, compile settings), and whose tensors are the weights
 * ("dense/kernel", "dense/bias", ...) and, optionally, the optimizer state
 * ("optimizer/dense/kernel/0", ...). A plain safetensors reader opens it.
 */
final class ModelFile {
    static final String FORMAT = "lamina";
    static final String VERSION = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {
    }

    static void save(Sequential model, Path file, boolean includeConfig, boolean includeOptimizer) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", VERSION);
        if (includeConfig) {
            try {
                metadata.put("model_config", JSON.writeValueAsString(config(model)));
            } catch (IOException e) {
                throw new LaminaException("Cannot encode the model configuration: " + e.getMessage(), e);
            }
        }
        List<SafeTensors.Entry> entries = new ArrayList<>();
        for (Layer layer : model.layers()) {
            for (Parameter p : layer.parameters()) {
                entries.add(new SafeTensors.Entry(key(layer, p), shapeOf(layer, p), p.value().toFlatArray()));
            }
        }
        Optimizer optimizer = model.optimizer();
        if (includeOptimizer && optimizer != null && optimizer.iterations() > 0) {
            metadata.put("optimizer_iterations", Long.toString(optimizer.iterations()));
            for (Layer layer : model.layers()) {
                for (Parameter p : layer.parameters()) {
                    Storage[] state = optimizer.state(p);
                    for (int i = 0; state != null && i < state.length; i++) {
                        float[] values = new float[p.size()];
                        model.backend().download(state[i], 0, values, 0, values.length);
                        entries.add(new SafeTensors.Entry("optimizer/" + key(layer, p) + "/" + i, shapeOf(layer, p), values));
                    }
                }
            }
        }
        SafeTensors.write(file, metadata, entries);
    }

    private static String key(Layer layer, Parameter p) {
        return layer.name() + "/" + p.name();
    }

    /** The shape the layer declares: a kernel of one input row stays 2-D ([1, units]), as load checks it. */
    private static long[] shapeOf(Layer layer, Parameter p) {
        return layer.parameterShapes(layer.inputWidth()).get(layer.parameters().indexOf(p));
    }

    private static Map<String, Object> config(Sequential model) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", model.name());
        c.put("input_width", model.inputWidth());
        List<Object> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            layers.add(LayerConfig.toConfig(layer));
        }
        c.put("layers", layers);
        if (model.loss() != null && model.optimizer() != null) {
            Map<String, Object> compile = new LinkedHashMap<>();
            compile.put("optimizer", model.optimizer().config());
            compile.put("loss", model.loss().name());
            compile.put("from_logits", model.loss().fromLogits());
            compile.put("loss_param", model.loss().param());
            compile.put("metrics", model.metricNames());
            c.put("compile", compile);
        }
        return c;
    }

    /** Reads a model file and builds the model on {@code on} (null: the current backend); checks the whole file first. */
    static Sequential load(Path file, Backend on) {
        SafeTensors.Contents contents = SafeTensors.read(file);
        if (!FORMAT.equals(contents.metadata.get("format"))) {
            throw new ModelFileException(file + " is a safetensors file but not a Lamina model (no \"format\": \"lamina\" metadata).");
        }
        checkVersion(file, contents);
        String configJson = contents.metadata.get("model_config");
        if (configJson == null) {
            throw new ModelFileException(file + " holds weights only (written by saveWeights); load it into a model of the same "
                    + "architecture with model.loadWeights(path).");
        }
        Map<String, Object> config;
        List<Layer> layers = new ArrayList<>();
        int inputWidth;
        try {
            config = JSON.readValue(configJson, new TypeReference<Map<String, Object>>() { });
            Object width = config.get("input_width");
            if (!(width instanceof Integer) || (Integer) width <= 0 || (Integer) width > 1 << 24) {
                throw new ModelFileException(file + ": the saved input width " + width + " is not valid.");
            }
            inputWidth = (Integer) width;
            Object layerList = config.get("layers");
            if (!(layerList instanceof List) || ((List<?>) layerList).isEmpty()) {
                throw new ModelFileException(file + ": the saved configuration has no layers.");
            }
            for (Object entry : (List<?>) layerList) {
                if (!(entry instanceof Map)) {
                    throw new ModelFileException(file + ": a saved layer is not a JSON object.");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) entry;
                layers.add(LayerConfig.fromConfig(m));
            }
        } catch (IOException e) {
            throw new ModelFileException(file + ": the saved model configuration is not valid JSON.", e);
        } catch (ModelFileException e) {
            throw e;
        } catch (LaminaException e) {
            throw new ModelFileException(file + ": " + e.getMessage(), e);
        }
        checkWeights(file, contents, layers, inputWidth);
        Sequential model = new Sequential(layers.toArray(new Layer[0]));
        if (config.get("name") instanceof String) {
            model.name((String) config.get("name"));
        }
        try {
            model.build(inputWidth, on);
            upload(model, contents);
            compile(file, model, config);
            restoreOptimizer(file, model, contents);
        } catch (RuntimeException e) {
            model.close();
            throw e instanceof ModelFileException ? e : new ModelFileException(file + ": " + e.getMessage(), e);
        }
        return model;
    }

    /** A Lamina file of another format version is refused; other safetensors files carry no version. */
    private static void checkVersion(Path file, SafeTensors.Contents contents) {
        String version = contents.metadata.get("format_version");
        if (FORMAT.equals(contents.metadata.get("format")) && !VERSION.equals(version)) {
            throw new ModelFileException(file + (version == null ? " has no Lamina format version" : " has Lamina format version "
                    + version) + "; this Lamina reads version " + VERSION + ". Open it with the Lamina version that wrote it, "
                    + "or save it again from there.");
        }
    }

    /** Loads weights saved by save or saveWeights into an existing model; checks every tensor before changing any. */
    static void loadWeights(Sequential model, Path file) {
        SafeTensors.Contents contents = SafeTensors.read(file);
        checkVersion(file, contents);
        checkWeights(file, contents, model.layers(), model.inputWidth());
        upload(model, contents);
    }

    /** Every parameter the layers will have must be in the file with its shape, before anything is allocated. */
    private static void checkWeights(Path file, SafeTensors.Contents contents, List<Layer> layers, int inputWidth) {
        int width = inputWidth;
        java.util.Set<String> names = new java.util.HashSet<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer layer : layers) {
            String name = layer.name();
            if (name == null) {
                int n = counts.merge(layer.typeName(), 1, Integer::sum);
                name = n == 1 ? layer.typeName() : layer.typeName() + "_" + (n - 1);
            }
            List<long[]> shapes = layer.parameterShapes(width);
            List<String> paramNames = parameterNames(layer, shapes.size());
            for (int i = 0; i < shapes.size(); i++) {
                String key = name + "/" + paramNames.get(i);
                names.add(key);
                SafeTensors.Entry e = contents.tensors.get(key);
                if (e == null) {
                    throw new ModelFileException(file + " has no tensor '" + key + "' for layer " + layer.describe()
                            + ". It holds: " + String.join(", ", contents.tensors.keySet()) + ". The file is for another model; "
                            + "the model is unchanged.");
                }
                if (!Arrays.equals(e.shape, shapes.get(i))) {
                    throw new ModelFileException(file + ": tensor '" + key + "' has shape " + Arrays.toString(e.shape) + " but layer "
                            + layer.describe() + " needs " + Arrays.toString(shapes.get(i)) + ". The file is for a model of "
                            + "another shape; the model is unchanged.");
                }
            }
            width = layer.outputWidth(width);
        }
        for (String key : contents.tensors.keySet()) {
            if (!key.startsWith("optimizer/") && !names.contains(key)) {
                throw new ModelFileException(file + " has a tensor '" + key + "' that this model has no place for; it was saved "
                        + "from another architecture. The model is unchanged.");
            }
        }
    }

    /** Parameter names by layer kind, matching what build() creates. */
    private static List<String> parameterNames(Layer layer, int count) {
        if (layer.isBuilt()) {
            List<String> out = new ArrayList<>();
            layer.parameters().forEach(p -> out.add(p.name()));
            return out;
        }
        switch (layer.className()) {
            case "Dense":
                return List.of("kernel", "bias");
            case "BatchNormalization":
                return List.of("gamma", "beta", "moving_mean", "moving_variance");
            default:
                if (count != 0) {
                    throw new ModelFileException("Cannot name the parameters of " + layer.describe());
                }
                return List.of();
        }
    }

    private static void upload(Sequential model, SafeTensors.Contents contents) {
        for (Layer layer : model.layers()) {
            for (Parameter p : layer.parameters()) {
                p.value().upload(contents.tensors.get(key(layer, p)).data);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void compile(Path file, Sequential model, Map<String, Object> config) {
        Object raw = config.get("compile");
        if (!(raw instanceof Map)) {
            return;
        }
        Map<String, Object> c = (Map<String, Object>) raw;
        try {
            Optimizer optimizer = OptimizerConfig.fromConfig((Map<String, Object>) c.get("optimizer"));
            Loss loss = Loss.of(String.valueOf(c.get("loss")));
            boolean fromLogits = Boolean.TRUE.equals(c.get("from_logits"));
            if (fromLogits) {
                loss = loss.kind().sparse() ? Loss.sparseCategoricalCrossentropy(true)
                        : loss.name().startsWith("binary") ? Loss.binaryCrossentropy(true) : Loss.categoricalCrossentropy(true);
            }
            if (loss.name().equals("huber") && c.get("loss_param") instanceof Number) {
                loss = Loss.huber(((Number) c.get("loss_param")).floatValue());
            }
            List<String> metrics = new ArrayList<>();
            if (c.get("metrics") instanceof List) {
                for (Object m : (List<Object>) c.get("metrics")) {
                    if (!(m instanceof String)) {
                        throw new ModelFileException(file + ": a saved metric is not a name: " + m + ".");
                    }
                    metrics.add((String) m);
                }
            }
            model.compile(optimizer, loss, metrics.toArray(new String[0]));
        } catch (ClassCastException | NullPointerException e) {
            throw new ModelFileException(file + ": the saved compile settings are not valid.", e);
        }
    }

    private static void restoreOptimizer(Path file, Sequential model, SafeTensors.Contents contents) {
        String iterations = contents.metadata.get("optimizer_iterations");
        Optimizer optimizer = model.optimizer();
        if (iterations == null || optimizer == null) {
            return;
        }
        long steps;
        try {
            steps = Long.parseLong(iterations);
        } catch (NumberFormatException e) {
            throw new ModelFileException(file + ": optimizer_iterations '" + iterations + "' is not a number.");
        }
        if (steps < 0) {
            throw new ModelFileException(file + ": optimizer_iterations " + steps + " is negative.");
        }
        for (Layer layer : model.layers()) {
            for (Parameter p : layer.parameters()) {
                if (!p.trainable()) {
                    continue;
                }
                float[][] slots = new float[optimizer.stateSlots()][];
                for (int i = 0; i < slots.length; i++) {
                    SafeTensors.Entry e = contents.tensors.get("optimizer/" + key(layer, p) + "/" + i);
                    if (e == null || e.data.length != p.size()) {
                        throw new ModelFileException(file + ": the optimizer state for " + key(layer, p) + " is missing or has the "
                                + "wrong size.");
                    }
                    slots[i] = e.data;
                }
                optimizer.restoreState(model.backend(), p, slots, steps);
            }
        }
    }
}
