package dev.lamina.keras;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.Sequential;
import dev.lamina.io.ModelFileException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken or foreign files give a ModelFileException that says what is wrong, never another exception. */
class BadKerasFilesTest {
    @TempDir
    Path dir;

    private String refused(Path file) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> Sequential.load(file).close());
        assertTrue(e.getMessage().contains(file.toString()) || e.getMessage().contains(file.getFileName().toString()),
                "names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aTruncatedArchive() throws Exception {
        byte[] whole = Files.readAllBytes(Fixture.path("regression_adam.keras"));
        Path file = Files.write(dir.resolve("cut.keras"), Arrays.copyOf(whole, whole.length / 2));
        assertTrue(refused(file).contains("zip"));
    }

    @Test
    void anArchiveWithoutItsParts() throws Exception {
        assertTrue(refused(rewrite("no-config.keras", entries -> {
            entries.remove("config.json");
            return entries;
        })).contains("config.json"));
        assertTrue(refused(rewrite("no-weights.keras", entries -> {
            entries.remove("model.weights.h5");
            return entries;
        })).contains("model.weights.h5"));
    }

    @Test
    void malformedConfigAndWeights() throws Exception {
        assertTrue(refused(rewrite("bad-json.keras", entries -> {
            entries.put("config.json", "{\"class_name\": ".getBytes(StandardCharsets.UTF_8));
            return entries;
        })).contains("not valid JSON"));
        assertTrue(refused(rewrite("bad-h5.keras", entries -> {
            entries.put("model.weights.h5", "not HDF5 at all".getBytes(StandardCharsets.UTF_8));
            return entries;
        })).contains("HDF5"));
        String wrongShape = refused(rewrite("wrong-shape.keras", entries -> {
            String config = new String(entries.get("config.json"), StandardCharsets.UTF_8).replace("\"units\": 8", "\"units\": 9");
            entries.put("config.json", config.getBytes(StandardCharsets.UTF_8));
            return entries;
        }));
        assertTrue(wrongShape.contains("shape"), wrongShape);
    }

    @Test
    void anHdf5FileWithoutAModel() throws Exception {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        root.group("dense").floats("kernel", new long[] {1, 1}, new float[] {1f});
        Path file = Files.write(dir.resolve("weights-only.h5"), Hdf5Writer.write(root));
        assertTrue(refused(file).contains("weights only"));
        Path garbage = Files.write(dir.resolve("garbage.h5"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 1, 2, 3});
        refused(garbage);
        assertTrue(refused(dir.resolve("missing.keras")).contains("no such file"));
    }

    /** The regression fixture's archive with its entries changed. */
    private Path rewrite(String name, UnaryOperator<Map<String, byte[]>> change) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(Fixture.path("regression_adam.keras").toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : change.apply(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }
}
