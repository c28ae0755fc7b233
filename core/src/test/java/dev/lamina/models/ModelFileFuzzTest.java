package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lamina.FitOptions;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.io.SafeTensors;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds {@code Sequential.load} and {@code loadWeights} thousands of mutated and truncated model
 * files. Every one must end in a {@link LaminaException} (a clear refusal) or in a load whose
 * weights are exactly the file's tensors — never another exception, an out-of-memory error or a
 * hang — and a refused {@code loadWeights} must leave the model unchanged.
 *
 * <p>Seeded and bounded: by default {@value #DEFAULT_CASES} cases or {@value #DEFAULT_SECONDS} s,
 * whichever comes first. Longer runs: {@code -Dlamina.fuzz.cases=100000 -Dlamina.fuzz.seconds=600};
 * another seed: {@code -Dlamina.fuzz.seed=...}. A failure names the case, which replays alone with
 * the same seed.
 */
@ExtendWith(OnReferenceBackend.class)
class ModelFileFuzzTest {
    static final int DEFAULT_CASES = 4000;
    static final int DEFAULT_SECONDS = 15;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Sequential architecture() {
        return new Sequential(new Dense(4, "relu"), new BatchNormalization(), new Dropout(0.25), new Dense(2, "softmax"));
    }

    @Test
    void mutatedFilesEndInOurErrorOrACorrectLoad() throws Exception {
        long seed = Long.getLong("lamina.fuzz.seed", 20261129L);
        int cases = Integer.getInteger("lamina.fuzz.cases", DEFAULT_CASES);
        long seconds = Long.getLong("lamina.fuzz.seconds", DEFAULT_SECONDS);

        Path modelFile = dir.resolve("model.safetensors");
        Path weightsFile = dir.resolve("weights.safetensors");
        try (Sequential trained = architecture()) {
            trained.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            float[][] x = SaveLoadTest.data(12, 3, 5);
            float[][] y = new float[12][1];
            for (int i = 0; i < 12; i++) {
                y[i][0] = i % 2;
            }
            trained.fit(x, y, new FitOptions().epochs(1).batchSize(4).verbose(0).seed(1));
            trained.save(modelFile);
            trained.saveWeights(weightsFile);
        }
        byte[][] originals = {Files.readAllBytes(modelFile), Files.readAllBytes(weightsFile)};
        Path mutated = dir.resolve("mutated.safetensors");
        Map<String, Integer> outcomes = new TreeMap<>();

        try (Sequential target = architecture()) {
            target.build(3);
            assertTimeoutPreemptively(Duration.ofSeconds(seconds + 120), () -> {
                List<float[][]> before = target.getWeights();
                long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                int n = 0;
                for (; n < cases && System.nanoTime() < deadline; n++) {
                    Random r = new Random(seed * 1_000_003L + n);
                    Mutation m = mutate(originals[n % 2], r);
                    Files.write(mutated, m.bytes);
                    String where = "case " + n + " (seed " + seed + ", " + m.what + ")";
                    outcomes.merge("load: " + tryLoad(mutated, where), 1, Integer::sum);
                    outcomes.merge("loadWeights: " + tryLoadWeights(target, mutated, before, where), 1, Integer::sum);
                    before = target.getWeights();
                }
                outcomes.put("cases", n);
            });
        }
        System.out.println("ModelFileFuzzTest: " + outcomes);
        assertTrue(outcomes.get("cases") >= Math.min(cases, 500), "too few cases ran: " + outcomes);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("load: loaded")), "no mutation loaded: " + outcomes);
        assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith("load: refused")), "no mutation refused: " + outcomes);
    }

    /** Loads a model; returns the outcome's name or fails the test on any error other than ours. */
    private static String tryLoad(Path file, String where) {
        Sequential loaded;
        try {
            loaded = Sequential.load(file);
        } catch (LaminaException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), where + ": an empty message");
            return "refused (" + e.getClass().getSimpleName() + ")";
        } catch (Throwable t) {
            throw new AssertionError(where + ": load threw " + t, t);
        }
        try (Sequential model = loaded) {
            assertWeightsAreTheFiles(model, file, where);
            float[][] out = model.predict(new float[][] {{0.5f, -1f, 2f}});
            assertEquals(model.outputWidth(), out[0].length, where);
        } catch (LaminaException e) {
            fail(where + ": the file loaded, but the model does not work: " + e.getMessage(), e);
        }
        return "loaded";
    }

    private static String tryLoadWeights(Sequential target, Path file, List<float[][]> before, String where) {
        try {
            target.loadWeights(file);
        } catch (LaminaException e) {
            List<float[][]> after = target.getWeights();
            for (int i = 0; i < before.size(); i++) {
                for (int r = 0; r < before.get(i).length; r++) {
                    assertArrayEquals(before.get(i)[r], after.get(i)[r], 0f, where + ": a refused loadWeights changed the model");
                }
            }
            return "refused (" + e.getClass().getSimpleName() + ")";
        } catch (Throwable t) {
            throw new AssertionError(where + ": loadWeights threw " + t, t);
        }
        assertWeightsAreTheFiles(target, file, where);
        return "loaded";
    }

    /** A load is correct when every parameter holds exactly the file's tensor of the same name. */
    private static void assertWeightsAreTheFiles(Sequential model, Path file, String where) {
        SafeTensors.Contents contents = SafeTensors.read(file);
        model.layers().forEach(layer -> {
            List<float[][]> weights = layer.getWeights();
            for (int i = 0; i < weights.size(); i++) {
                String key = layer.name() + "/" + layer.parameters().get(i).name();
                float[] expected = contents.tensors.get(key).data;
                float[] actual = flatten(weights.get(i));
                assertArrayEquals(expected, actual, 0f, where + ": " + key + " differs from the file");
            }
        });
    }

    private static float[] flatten(float[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        float[] out = new float[m.length * cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, out, r * cols, cols);
        }
        return out;
    }

    // ------------------------------------------------------------------ mutations

    private static final class Mutation {
        final byte[] bytes;
        final String what;

        Mutation(byte[] bytes, String what) {
            this.bytes = bytes;
            this.what = what;
        }
    }

    private static Mutation mutate(byte[] original, Random r) throws IOException {
        byte[] b = original.clone();
        long headerLength = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (r.nextInt(9)) {
            case 0: {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return new Mutation(b, flips + " bit flips");
            }
            case 1: {
                int length = r.nextInt(b.length);
                return new Mutation(Arrays.copyOf(b, length), "truncated to " + length + " bytes");
            }
            case 2: {
                long[] edges = {0, 1, 2, 7, 8, headerLength - 1, headerLength + 1, b.length - 8, b.length, Integer.MAX_VALUE,
                        SafeTensors.MAX_HEADER_BYTES + 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, r.nextLong()};
                long value = edges[r.nextInt(edges.length)];
                ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
                return new Mutation(b, "header length " + value);
            }
            case 3: {
                int from = r.nextInt(b.length);
                int to = r.nextInt(b.length);
                int len = 1 + r.nextInt(Math.min(64, b.length - Math.max(from, to)));
                System.arraycopy(original, from, b, to, len);
                return new Mutation(b, "spliced " + len + " bytes from " + from + " to " + to);
            }
            case 4: {
                byte[] extra = new byte[1 + r.nextInt(64)];
                r.nextBytes(extra);
                byte[] out = Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, out, b.length, extra.length);
                return new Mutation(out, "appended " + extra.length + " bytes");
            }
            case 5:
            case 6: {
                // structure-aware: change one value in the JSON header, keeping the file well framed
                JsonNode header = JSON.readTree(new String(b, 8, (int) headerLength, StandardCharsets.UTF_8));
                String what = mutateJson(header, r);
                return new Mutation(reframe(header, b, headerLength), "header: " + what);
            }
            case 7: {
                // nesting deeper than any JSON parser should follow
                int depth = 2000 + r.nextInt(20000);
                String deep = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
                byte[] json = deep.getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[8 + json.length];
                ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
                System.arraycopy(json, 0, out, 8, json.length);
                return new Mutation(out, "header nested " + depth + " deep");
            }
            default: {
                // structure-aware: change one value inside the model configuration (JSON in the metadata)
                JsonNode header = JSON.readTree(new String(b, 8, (int) headerLength, StandardCharsets.UTF_8));
                ObjectNode meta = (ObjectNode) header.get("__metadata__");
                String what = "no model_config";
                if (meta != null && meta.has("model_config")) {
                    JsonNode config = JSON.readTree(meta.get("model_config").asText());
                    what = mutateJson(config, r);
                    meta.put("model_config", JSON.writeValueAsString(config));
                } else if (meta != null) {
                    what = mutateJson(meta, r);
                }
                return new Mutation(reframe(header, b, headerLength), "model_config: " + what);
            }
        }
    }

    /** Replaces one randomly chosen value in the tree (or removes it) with a hostile one. */
    private static String mutateJson(JsonNode root, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode parent = containers.get(r.nextInt(containers.size()));
        JsonNode replacement = hostileValue(r);
        if (parent instanceof ObjectNode) {
            ObjectNode o = (ObjectNode) parent;
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            if (keys.isEmpty()) {
                o.set("extra", replacement);
                return "added a field";
            }
            String key = keys.get(r.nextInt(keys.size()));
            if (r.nextInt(6) == 0) {
                o.remove(key);
                return "removed '" + key + "'";
            }
            o.set(key, replacement);
            return "'" + key + "' := " + replacement;
        }
        ArrayNode a = (ArrayNode) parent;
        if (a.size() == 0 || r.nextInt(8) == 0) {
            a.add(replacement);
            return "appended " + replacement;
        }
        int i = r.nextInt(a.size());
        if (r.nextInt(6) == 0) {
            a.remove(i);
            return "removed [" + i + "]";
        }
        a.set(i, replacement);
        return "[" + i + "] := " + replacement;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectContainers(it.next(), out);
            }
        }
    }

    private static JsonNode hostileValue(Random r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (r.nextInt(14)) {
            case 0: return f.numberNode(-1);
            case 1: return f.numberNode(0);
            case 2: return f.numberNode(Integer.MAX_VALUE);
            case 3: return f.numberNode(Long.MAX_VALUE);
            case 4: return f.numberNode(1e300);
            case 5: return f.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 6: return f.numberNode(r.nextInt(10));
            case 7: return f.numberNode(0.5);
            case 8: return f.nullNode();
            case 9: return f.arrayNode().add(1).add(2).add(3);
            case 10: return f.objectNode().put("dtype", "F32");
            case 11: return new TextNode(new String[] {"F16", "relu", "Dense", "", "adam", "dense/kernel"}[r.nextInt(6)]);
            case 12: return f.booleanNode(r.nextBoolean());
            default: {
                ArrayNode deep = f.arrayNode();
                ArrayNode cur = deep;
                for (int i = 0; i < 200 + r.nextInt(700); i++) {
                    cur = cur.addArray();
                }
                return deep;
            }
        }
    }

    /** A new file with the mutated header (padded to 8 bytes) in front of the original data. */
    private static byte[] reframe(JsonNode header, byte[] original, long headerLength) throws IOException {
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        int dataStart = (int) (8 + headerLength);
        byte[] out = new byte[8 + padded + original.length - dataStart];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, out, 8, json.length);
        Arrays.fill(out, 8 + json.length, 8 + padded, (byte) ' ');
        System.arraycopy(original, dataStart, out, 8 + padded, original.length - dataStart);
        return out;
    }
}
