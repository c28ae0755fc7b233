package dev.lamina.keras;

import dev.lamina.Sequential;
import dev.lamina.io.ModelFileException;
import dev.lamina.layers.Input;
import dev.lamina.layers.Layer;
import dev.lamina.layers.Parameter;
import dev.lamina.optimizers.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the Lamina model from a translated configuration and the arrays read from the file. Every
 * weight's shape is checked before the model allocates anything; if a later step fails, the model is
 * closed, so a failed load leaves nothing behind.
 */
final class ModelAssembly {
    private ModelAssembly() {
    }

    static Sequential assemble(Path file, KerasSpec spec, KerasWeights weights) {
        checkShapes(file, spec, weights);
        List<Layer> all = new ArrayList<>();
        all.add(new Input(spec.inputWidth));
        all.addAll(spec.layers);
        Sequential model = new Sequential(all.toArray(new Layer[0])).name(spec.name);
        try {
            model.build(spec.inputWidth);
            List<float[][]> values = new ArrayList<>();
            for (List<KerasWeights.Array> layer : weights.layers) {
                for (KerasWeights.Array a : layer) {
                    values.add(matrix(a));
                }
            }
            model.setWeights(values);
            if (spec.compiled != null) {
                model.compile(spec.compiled.optimizer, spec.compiled.loss, spec.compiled.metrics.toArray(new String[0]));
                restoreOptimizer(file, model, weights);
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e instanceof ModelFileException ? e : new KerasFileFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static void checkShapes(Path file, KerasSpec spec, KerasWeights weights) {
        int width = spec.inputWidth;
        for (int i = 0; i < spec.layers.size(); i++) {
            Layer layer = spec.layers.get(i);
            List<long[]> expected = layer.parameterShapes(width);
            List<KerasWeights.Array> found = weights.layers.get(i);
            if (found.size() != expected.size()) {
                throw new KerasFileFormatException(file + ": layer " + layer.describe() + " needs " + expected.size()
                        + " weight arrays, the file has " + found.size() + (found.isEmpty() ? "" : ": " + found) + ".");
            }
            for (int k = 0; k < expected.size(); k++) {
                if (!Arrays.equals(expected.get(k), found.get(k).shape)) {
                    throw new KerasFileFormatException(file + ": layer " + layer.describe() + " needs a weight of shape "
                            + Arrays.toString(expected.get(k)) + ", the file has " + found.get(k) + ".");
                }
            }
            width = layer.outputWidth(width);
        }
    }

    private static void restoreOptimizer(Path file, Sequential model, KerasWeights weights) {
        if (weights.iterations <= 0) {
            return;
        }
        Optimizer optimizer = model.optimizer();
        List<Parameter> trainable = new ArrayList<>();
        for (Layer layer : model.layers()) {
            for (Parameter p : layer.parameters()) {
                if (p.trainable()) {
                    trainable.add(p);
                }
            }
        }
        int slots = optimizer.stateSlots();
        if (weights.optimizerSlots.size() != trainable.size() * slots) {
            throw new KerasFileFormatException(file + ": the " + optimizer.name() + " optimizer keeps " + slots + " arrays for "
                    + "each of the " + trainable.size() + " trainable weights, but the file's optimizer state has "
                    + weights.optimizerSlots.size() + " arrays.");
        }
        for (int i = 0; i < trainable.size(); i++) {
            Parameter p = trainable.get(i);
            float[][] values = new float[slots][];
            for (int s = 0; s < slots; s++) {
                KerasWeights.Array a = weights.optimizerSlots.get(i * slots + s);
                if (a.values.length != p.size()) {
                    throw new KerasFileFormatException(file + ": the optimizer state " + a + " does not match the weight it "
                            + "belongs to (" + p.rows() + "x" + p.cols() + ").");
                }
                values[s] = a.values;
            }
            optimizer.restoreState(model.backend(), p, values, weights.iterations);
        }
    }

    private static float[][] matrix(KerasWeights.Array a) {
        int rows = a.shape.length == 2 ? (int) a.shape[0] : 1;
        int cols = a.values.length / Math.max(rows, 1);
        float[][] m = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a.values, r * cols, m[r], 0, cols);
        }
        return m;
    }
}
