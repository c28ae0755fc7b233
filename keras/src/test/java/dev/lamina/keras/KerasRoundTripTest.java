package dev.lamina.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.Sequential;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lamina writes .keras and .h5 files; Python Keras 3 (JAX backend) loads them, predicts and trains one
 * step; the results must equal Lamina's to float32 rounding. Runs where {@code python3 -c "import keras"}
 * works (KERAS_BACKEND=jax); skipped, with the reason, elsewhere.
 */
class KerasRoundTripTest {
    private static final double TOLERANCE = 2e-5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Null when Python Keras is importable, else why not. */
    static String pythonKerasMissing() {
        try {
            Process p = python("-c", "import keras, jax").redirectErrorStream(true).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!done) {
                p.destroyForcibly();
                return "python3 -c 'import keras, jax' did not finish in 120 s";
            }
            return p.exitValue() == 0 ? null : "Python Keras with JAX is not importable here (python3 -c 'import keras, jax': "
                    + out.substring(Math.max(0, out.length() - 200)) + ")";
        } catch (Exception e) {
            return "python3 is not runnable here: " + e.getMessage();
        }
    }

    private static ProcessBuilder python(String... args) {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KERAS_BACKEND", "jax");
        pb.environment().put("JAX_PLATFORMS", "cpu");
        return pb;
    }

    @Test
    void kerasLoadsWhatLaminaWroteAndComputesTheSame() throws Exception {
        String why = pythonKerasMissing();
        Assumptions.assumeTrue(why == null, why);     // reported as skipped, with the reason
        List<Map<String, Object>> files = new ArrayList<>();
        Map<String, Sequential> models = new LinkedHashMap<>();
        Map<String, float[][]> inputs = new LinkedHashMap<>();
        Map<String, float[][][]> steps = new LinkedHashMap<>();
        try {
            for (String name : LaminaModels.NAMES) {
                for (String extension : new String[] {".keras", ".h5"}) {
                    Sequential model = LaminaModels.build(name);
                    String file = dir.resolve(name + extension).toString();
                    model.save(Path.of(file));
                    models.put(file, model);
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("file", file);
                    float[][] x = LaminaModels.data(model, 6, 77)[0];
                    inputs.put(file, x);
                    item.put("inputs", x);
                    // Keras 3.15 on JAX cannot train on after loading any legacy .h5, its own included ("the optimizer
                    // was built with 0 variables"): the .h5 files are checked by predictions and optimizer settings
                    if (model.optimizer() != null && !LaminaModels.hasDropout(model) && extension.equals(".keras")) {
                        float[][][] batch = LaminaModels.data(model, 8, 5);
                        steps.put(file, batch);
                        item.put("step_x", batch[0]);
                        item.put("step_y", batch[1]);
                    }
                    files.add(item);
                }
            }
            Path request = dir.resolve("request.json");
            Path result = dir.resolve("result.json");
            JSON.writeValue(request.toFile(), Map.of("files", files));
            Process p = python(script().toString(), request.toString(), result.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("python.log").toFile()).start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "Keras finished");
            assertEquals(0, p.exitValue(), () -> "Keras failed:\n" + read(dir.resolve("python.log")));
            JsonNode results = JSON.readTree(result.toFile());
            double worstPrediction = 0;
            double worstStep = 0;
            for (Map.Entry<String, Sequential> e : models.entrySet()) {
                String file = e.getKey();
                Sequential model = e.getValue();
                JsonNode r = results.get(file);
                double error = Fixture.maxAbsDiff(model.predict(inputs.get(file)), Fixture.matrix(r.get("predictions")));
                assertTrue(error <= TOLERANCE, file + ": Keras' predictions differ by " + error);
                worstPrediction = Math.max(worstPrediction, error);
                if (model.optimizer() != null) {
                    assertEquals(model.optimizer().iterations(), r.get("iterations").asLong(), file + ": iterations");
                    assertEquals(model.optimizer().learningRate(), r.get("learning_rate").floatValue(), 1e-9, file + ": learning rate");
                }
                float[][][] batch = steps.get(file);
                if (batch != null) {
                    model.fit(batch[0], batch[1], LaminaModels.oneStep(batch[0].length));
                    double stepError = Fixture.maxAbsDiff(model.getWeights(), Fixture.weights(r.get("weights_after_step")));
                    assertTrue(stepError <= TOLERANCE, file + ": weights after one more step differ by " + stepError);
                    worstStep = Math.max(worstStep, stepError);
                }
            }
            System.out.printf("Keras on Lamina's files: max |prediction difference| = %.3g, max |weight difference after a "
                    + "step| = %.3g (%d files)%n", worstPrediction, worstStep, models.size());
        } finally {
            models.values().forEach(Sequential::close);
        }
    }

    private static Path script() {
        for (Path candidate : new Path[] {Path.of("src/test/python/check_lamina_files.py"),
                Path.of("keras/src/test/python/check_lamina_files.py")}) {
            if (Files.exists(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("check_lamina_files.py not found from " + new File(".").getAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
