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
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Keras 3's {@code .keras} file: a zip of {@code config.json} (the model and its compile settings),
 * {@code metadata.json} and {@code model.weights.h5}, where layer {@code i}'s weights are
 * {@code layers/<its class in snake case, numbered per class>/vars/0, 1, ...} and the optimizer's
 * {@code optimizer/vars/0} (iterations), {@code 1} (learning rate), then its slots.
 */
final class KerasArchive {
    static final String CONFIG = "config.json";
    static final String METADATA = "metadata.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Larger entries are refused before they are read: no Dense stack Lamina runs comes near. */
    private static final long MAX_CONFIG_BYTES = 64L << 20;
    private static final long MAX_WEIGHTS_BYTES = Integer.MAX_VALUE - 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KerasArchive() {
    }

    // ------------------------------------------------------------------ read

    @SuppressWarnings("unchecked")
    static Sequential read(Path file) {
        Map<String, Object> config;
        byte[] weightsBytes;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry configEntry = zip.getEntry(CONFIG);
            ZipEntry weightsEntry = zip.getEntry(WEIGHTS);
            if (configEntry == null) {
                throw new KerasFileFormatException(file + " is a zip archive but not a Keras 3 .keras file: it has no " + CONFIG + ".");
            }
            config = JSON.readValue(entry(zip, configEntry, MAX_CONFIG_BYTES, file), Map.class);
            weightsBytes = weightsEntry == null ? null : entry(zip, weightsEntry, MAX_WEIGHTS_BYTES, file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new KerasFileFormatException(file + ": its " + CONFIG + " is not valid JSON (" + e.getOriginalMessage() + ").", e);
        } catch (ZipException e) {
            throw new KerasFileFormatException(file + " is not a readable zip archive (a .keras file is one): " + e.getMessage(), e);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new KerasFileFormatException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        KerasSpec spec;
        try {
            Object compile = config.get("compile_config");
            spec = KerasConfigReader.read(config, compile instanceof Map ? (Map<String, Object>) compile : null, false);
        } catch (ModelFileException e) {
            throw prefixed(file, e);
        }
        if (weightsBytes == null) {
            throw new KerasFileFormatException(file + " has no " + WEIGHTS + ": the archive is incomplete.");
        }
        KerasWeights weights;
        try (HdfFile h5 = HdfFile.fromBytes(weightsBytes)) {
            weights = weights(file, spec, h5);
        } catch (ModelFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasFileFormatException(file + ": its " + WEIGHTS + " is not a readable HDF5 file: " + e.getMessage(), e);
        }
        return ModelAssembly.assemble(file, spec, weights);
    }

    static ModelFileException prefixed(Path file, ModelFileException e) {
        return e instanceof KerasUnsupportedException ? new KerasUnsupportedException(file + ": " + e.getMessage())
                : new KerasFileFormatException(file + ": " + e.getMessage(), e);
    }

    private static byte[] entry(ZipFile zip, ZipEntry e, long limit, Path file) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8) + 1);
            if (bytes.length > limit) {
                throw new KerasFileFormatException(file + ": its " + e.getName() + " is larger than " + limit + " bytes.");
            }
            return bytes;
        }
    }

    private static KerasWeights weights(Path file, KerasSpec spec, HdfFile h5) {
        KerasWeights w = new KerasWeights();
        Map<String, Integer> used = new HashMap<>();
        for (Layer layer : spec.layers) {
            String key = layerKey(layer, used);
            Group vars = Hdf5Reading.group(h5, "layers/" + key + "/vars");
            if (vars == null) {     // the .keras files of tf.keras 2.13-2.15 name the layers' group so
                vars = Hdf5Reading.group(h5, "_layer_checkpoint_dependencies/" + key + "/vars");
            }
            List<KerasWeights.Array> arrays = new ArrayList<>();
            for (int i = 0; vars != null && vars.getChildren().containsKey(Integer.toString(i)); i++) {
                arrays.add(Hdf5Reading.floats(vars, Integer.toString(i), file.toString()));
            }
            w.layers.add(arrays);
        }
        Group optimizer = Hdf5Reading.group(h5, "optimizer/vars");
        if (spec.compiled != null && optimizer != null && optimizer.getChildren().containsKey("0")) {
            KerasWeights.Array iterations = Hdf5Reading.floats(optimizer, "0", file.toString());
            w.iterations = iterations.values.length == 1 ? (long) iterations.values[0] : 0;
            for (int i = 2; optimizer.getChildren().containsKey(Integer.toString(i)); i++) {
                w.optimizerSlots.add(Hdf5Reading.floats(optimizer, Integer.toString(i), file.toString()));
            }
        }
        return w;
    }

    /** Keras names a Sequential's layers in the weights file by class, in snake case, numbered per class: dense, dense_1. */
    private static String layerKey(Layer layer, Map<String, Integer> used) {
        String base = KerasConfigReader.snake(layer.className());
        int n = used.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }

    // ------------------------------------------------------------------ write

    static void write(Sequential model, Path file, boolean includeOptimizer) {
        Map<String, Object> config = KerasConfigWriter.model(model);
        Map<String, Object> compile = KerasConfigWriter.compile(model);
        if (compile != null) {
            config.put("compile_config", compile);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("keras_version", KerasConfigWriter.KERAS_VERSION);
        metadata.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        metadata.put("written_by", "Lamina");
        byte[] weights = Hdf5Writer.write(weightsFile(model, includeOptimizer && compile != null));
        try {
            byte[] configBytes = JSON.writeValueAsBytes(config);
            byte[] metadataBytes = JSON.writeValueAsBytes(metadata);
            AtomicFiles.write(file, temporary -> {
                try (OutputStream out = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(out)) {
                    stored(zip, METADATA, metadataBytes);
                    stored(zip, CONFIG, configBytes);
                    stored(zip, WEIGHTS, weights);
                }
            });
        } catch (IOException e) {
            throw new ModelFileException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Hdf5Writer.Group weightsFile(Sequential model, boolean includeOptimizer) {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        Hdf5Writer.Group layers = root.group("layers");
        Map<String, Integer> used = new HashMap<>();
        for (Layer layer : model.layers()) {
            Hdf5Writer.Group vars = layers.group(layerKey(layer, used)).group("vars").attribute("name", layer.name());
            List<long[]> shapes = shapes(layer);
            int i = 0;
            for (Parameter p : layer.parameters()) {
                vars.floats(Integer.toString(i), shapes.get(i), p.value().toFlatArray());
                i++;
            }
        }
        if (includeOptimizer) {
            Hdf5Writer.Group vars = root.group("optimizer").group("vars").attribute("name", model.optimizer().name());
            OptimizerSlots state = OptimizerSlots.of(model);
            vars.scalarInt("0", (int) Math.min(Integer.MAX_VALUE, state.iterations));
            vars.floats("1", new long[0], new float[] {model.optimizer().learningRate()});
            int i = 2;
            for (OptimizerSlots.Slot slot : state.slots) {
                vars.floats(Integer.toString(i++), slot.shape, slot.values);
            }
        }
        root.group("vars").attribute("name", model.name());
        return root;
    }

    /** The shapes of a built layer's weights as Keras stores them (a kernel of one input row is still 2-D). */
    static List<long[]> shapes(Layer layer) {
        return layer.parameterShapes(layer.inputWidth());
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
