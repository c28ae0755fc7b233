package dev.lamina.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.Sequential;
import dev.lamina.io.AtomicFiles;
import dev.lamina.io.ModelFileException;
import dev.lamina.layers.Layer;
import dev.lamina.layers.Parameter;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The legacy full-model HDF5 file of Keras 2 / tf.keras (and of Keras 3's {@code model.save("m.h5")}):
 * root attributes {@code model_config} and {@code training_config} (JSON), group {@code model_weights}
 * with a group per layer listing its {@code weight_names}, and {@code optimizer_weights}.
 */
final class KerasH5 {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasH5() {
    }

    // ------------------------------------------------------------------ read

    @SuppressWarnings("unchecked")
    static Sequential read(Path file) {
        KerasSpec spec;
        KerasWeights weights;
        try (HdfFile h5 = new HdfFile(file)) {
            String modelConfig = Hdf5Reading.string(h5, "model_config");
            if (modelConfig == null) {
                throw new KerasFileFormatException(file + " is an HDF5 file without a model_config: it holds weights only (as "
                        + "model.save_weights writes) or is not a Keras file. Save the whole model with model.save(\"m.h5\"), "
                        + "or as .keras.");
            }
            String trainingConfig = Hdf5Reading.string(h5, "training_config");
            try {
                spec = KerasConfigReader.read(JSON.readValue(modelConfig, Map.class),
                        trainingConfig == null ? null : JSON.readValue(trainingConfig, Map.class), true);
            } catch (IOException e) {
                throw new KerasFileFormatException(file + ": its model_config or training_config is not valid JSON.", e);
            } catch (ModelFileException e) {
                throw KerasArchive.prefixed(file, e);
            }
            weights = weights(file, spec, h5);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasFileFormatException(file + " is not a readable HDF5 file: " + e.getMessage(), e);
        }
        return ModelAssembly.assemble(file, spec, weights);
    }

    private static KerasWeights weights(Path file, KerasSpec spec, HdfFile h5) {
        Group model = Hdf5Reading.group(h5, "model_weights");
        if (model == null) {
            throw new KerasFileFormatException(file + " has a model_config but no model_weights group.");
        }
        KerasWeights w = new KerasWeights();
        for (Layer layer : spec.layers) {
            Group g = Hdf5Reading.group(model, layer.name());
            List<KerasWeights.Array> arrays = new ArrayList<>();
            if (g != null) {
                for (String name : Hdf5Reading.strings(g, "weight_names")) {
                    arrays.add(Hdf5Reading.floats(g, name, file.toString()));
                }
            }
            w.layers.add(arrays);
        }
        Group optimizer = Hdf5Reading.group(h5, "optimizer_weights");
        if (spec.compiled != null && optimizer != null) {
            readOptimizer(file, spec, optimizer, w);
        }
        return w;
    }

    /**
     * Keras 3 lists the optimizer's variables as [iteration, learning_rate, then each weight's slots];
     * tf.keras 2 as [iter, all first slots, all second slots] named {@code Adam/dense/kernel/m:0}, so
     * those are found by name.
     */
    private static void readOptimizer(Path file, KerasSpec spec, Group optimizer, KerasWeights w) {
        List<String> names = Hdf5Reading.strings(optimizer, "weight_names");
        if (names.isEmpty()) {
            return;
        }
        w.iterations = (long) Hdf5Reading.floats(optimizer, names.get(0), file.toString()).values[0];
        if (names.size() > 1 && names.get(1).endsWith("learning_rate")) {
            for (String name : names.subList(2, names.size())) {
                w.optimizerSlots.add(Hdf5Reading.floats(optimizer, name, file.toString()));
            }
            return;
        }
        String[] slotNames = OptimizerSlots.keras2SlotNames(spec.compiled.optimizer.name());
        int slots = spec.compiled.optimizer.stateSlots();
        for (Layer layer : spec.layers) {
            for (String parameter : trainableNames(layer)) {
                for (int s = 0; s < slots; s++) {
                    // TF <= 2.10: Adam/dense/kernel/m:0; TF 2.11's optimizer: Adam/m/dense/kernel:0
                    String suffix = "/" + layer.name() + "/" + parameter + "/" + slotNames[s] + ":0";
                    String newer = "/" + slotNames[s] + "/" + layer.name() + "/" + parameter + ":0";
                    String found = names.stream().filter(n -> n.endsWith(suffix) || n.endsWith(newer)).findFirst().orElseThrow(() ->
                            new KerasFileFormatException(file + ": the optimizer state has no '" + suffix.substring(1)
                                    + "'; it holds " + names + "."));
                    w.optimizerSlots.add(Hdf5Reading.floats(optimizer, found, file.toString()));
                }
            }
        }
    }

    private static List<String> trainableNames(Layer layer) {
        switch (layer.className()) {
            case "Dense":
                return List.of("kernel", "bias");
            case "BatchNormalization":
                return List.of("gamma", "beta");
            default:
                return List.of();
        }
    }

    // ------------------------------------------------------------------ write

    static void write(Sequential model, Path file, boolean includeOptimizer) {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        try {
            root.attribute("backend", "jax");
            root.attribute("keras_version", KerasConfigWriter.KERAS_VERSION);
            root.attribute("model_config", JSON.writeValueAsString(legacyModelConfig(model)));
            Map<String, Object> training = KerasConfigWriter.trainingConfig(model);
            if (training != null) {
                root.attribute("training_config", JSON.writeValueAsString(training));
            }
        } catch (IOException e) {
            throw new ModelFileException("Cannot encode the model configuration: " + e.getMessage(), e);
        }
        Hdf5Writer.Group weights = root.group("model_weights");
        List<String> layerNames = new ArrayList<>();
        for (Layer layer : model.layers()) {
            layerNames.add(layer.name());
        }
        weights.attribute("backend", "jax").attribute("keras_version", KerasConfigWriter.KERAS_VERSION)
                .attribute("layer_names", layerNames.toArray(new String[0]));
        for (Layer layer : model.layers()) {
            Hdf5Writer.Group g = weights.group(layer.name());
            List<String> names = new ArrayList<>();
            List<long[]> shapes = KerasArchive.shapes(layer);
            for (Parameter p : layer.parameters()) {
                String path = model.name() + "/" + layer.name() + "/" + p.name();
                put(g, path, shapes.get(names.size()), p.value().toFlatArray());
                names.add(path);
            }
            g.attribute("weight_names", names.toArray(new String[0]));
        }
        weights.group("top_level_model_weights");
        if (includeOptimizer && model.optimizer() != null && model.loss() != null) {
            String prefix = model.optimizer().name();
            Hdf5Writer.Group g = root.group("optimizer_weights");
            List<String> names = new ArrayList<>(List.of(prefix + "/iteration", prefix + "/learning_rate"));
            OptimizerSlots state = OptimizerSlots.of(model);
            g.group(prefix).scalarInt("iteration", (int) Math.min(Integer.MAX_VALUE, state.iterations))
                    .floats("learning_rate", new long[0], new float[] {model.optimizer().learningRate()});
            for (OptimizerSlots.Slot slot : state.slots) {
                String name = prefix + "/" + model.name() + "_" + slot.layer.name() + "_" + slot.parameter.name() + "_" + slot.name;
                names.add(name);
                put(g, name, slot.shape, slot.values);
            }
            g.attribute("weight_names", names.toArray(new String[0]));
        }
        byte[] bytes;
        try {
            bytes = Hdf5Writer.write(root);
        } catch (IllegalArgumentException e) {
            throw new KerasUnsupportedException("Cannot write " + file + " as HDF5: " + e.getMessage() + ". Save as .keras instead.");
        }
        try {
            AtomicFiles.write(file, temporary -> Files.write(temporary, bytes));
        } catch (IOException e) {
            throw new ModelFileException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Keras writes the legacy model_config without the top-level module and build_config. */
    private static Map<String, Object> legacyModelConfig(Sequential model) {
        Map<String, Object> config = KerasConfigWriter.model(model);
        config.remove("module");
        config.remove("registered_name");
        config.remove("build_config");
        return config;
    }

    private static void put(Hdf5Writer.Group g, String path, long[] shape, float[] values) {
        String[] parts = path.split("/");
        Hdf5Writer.Group at = g;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.group(parts[i]);
        }
        at.floats(parts[parts.length - 1], shape, values);
    }
}
