package dev.lamina.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A model Keras 3 saved (keras/src/test/python/make_fixtures.py), with what Keras computed beside it. */
final class Fixture {
    static final List<String> MODELS = List.of("regression_adam", "binary_sgd_bn_dropout", "multiclass_rmsprop_bn",
            "activations_adagrad", "adamw_huber_clipnorm", "logits_sgd_clipvalue", "uncompiled");

    final String name;
    final JsonNode record;

    private Fixture(String name, JsonNode record) {
        this.name = name;
        this.record = record;
    }

    static Fixture of(String name) {
        try {
            return new Fixture(name, new ObjectMapper().readTree(path(name + ".json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String file) {
        try {
            return Path.of(Fixture.class.getResource("/keras-fixtures/" + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + file, e);
        }
    }

    float[][] inputs() {
        return matrix(record.get("inputs"));
    }

    float[][] predictions() {
        return matrix(record.get("predictions"));
    }

    /** Keras' get_weights(), each as Lamina's getWeights() shapes it (vectors as one row). */
    static List<float[][]> weights(JsonNode list) {
        List<float[][]> out = new ArrayList<>();
        for (JsonNode w : list) {
            out.add(w.get(0).isArray() ? matrix(w) : new float[][] {vector(w)});
        }
        return out;
    }

    static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = vector(rows.get(r));
        }
        return m;
    }

    static float[] vector(JsonNode values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.get(i).asDouble();
        }
        return v;
    }

    /** The largest |a − b| over two lists of matrices of the same shapes. */
    static double maxAbsDiff(List<float[][]> a, List<float[][]> b) {
        if (a.size() != b.size()) {
            throw new AssertionError(a.size() + " arrays against " + b.size());
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, maxAbsDiff(a.get(i), b.get(i)));
        }
        return max;
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new AssertionError(a.length + " rows against " + b.length);
        }
        double max = 0;
        for (int r = 0; r < a.length; r++) {
            if (a[r].length != b[r].length) {
                throw new AssertionError("row " + r + ": " + a[r].length + " values against " + b[r].length);
            }
            for (int c = 0; c < a[r].length; c++) {
                max = Math.max(max, Math.abs((double) a[r][c] - b[r][c]));
            }
        }
        return max;
    }
}
