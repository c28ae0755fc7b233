package dev.lamina.layers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import dev.lamina.backend.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A layer of a {@link dev.lamina.Sequential} model. A layer learns its input width when the model
 * is built, then owns its parameters and the work buffers of one batch: its output and the
 * gradient it passes back. Forward and backward run entirely on the backend.
 */
public abstract class Layer implements AutoCloseable {
    private String name;
    private int inputWidth = -1;
    private Backend backend;
    private int capacityRows;
    /** The model this layer was added to; a layer holds one model's weights, so it joins one model only. */
    private Object owner;
    protected final List<Parameter> parameters = new ArrayList<>();

    /** Keras' base name of the layer type ("dense", "activation"), for automatic names. */
    public abstract String typeName();

    /** The Keras class name shown by summary() ("Dense"). */
    public String className() {
        return getClass().getSimpleName();
    }

    /** The width of the output for a given input width. */
    public abstract int outputWidth(int inputWidth);

    public String name() {
        return name;
    }

    /** Sets the layer's name; only before the model is built. */
    public Layer name(String name) {
        this.name = name;
        return this;
    }

    /**
     * Called by a model when the layer is added to it: refuses a layer that is already in another
     * model, saying so (both models would otherwise share, and overwrite, one set of weights).
     */
    public final void joinModel(Object model) {
        if (owner != null && owner != model) {
            throw new LaminaException("Layer " + describe() + " is already in another model: one layer instance cannot be used"
                    + " in two models, as it holds its model's weights. Create a new " + className() + " for this model"
                    + " (copy weights across with getWeights and setWeights if they should start equal).");
        }
        owner = model;
    }

    public boolean isBuilt() {
        return inputWidth >= 0;
    }

    public int inputWidth() {
        requireBuilt();
        return inputWidth;
    }

    public int outputWidth() {
        return outputWidth(inputWidth());
    }

    public Backend backend() {
        requireBuilt();
        return backend;
    }

    /** Parameters in Keras' order (kernel, then bias, ...). */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    public int parameterCount() {
        return parameters.stream().mapToInt(Parameter::size).sum();
    }

    public int trainableParameterCount() {
        return parameters.stream().filter(Parameter::trainable).mapToInt(Parameter::size).sum();
    }

    /** Called once by the model: creates parameters on the backend and initialises them. */
    public final void build(Backend backend, int inputWidth, Random init) {
        if (isBuilt()) {
            if (inputWidth != this.inputWidth || backend != this.backend) {
                throw new LaminaException("Layer '" + name + "' was already built for " + this.inputWidth
                        + " inputs on " + this.backend.name() + "; a layer belongs to one model. Create a new layer.");
            }
            return;
        }
        if (inputWidth <= 0) {
            throw new LaminaException("Layer '" + name + "' needs a positive input width, got " + inputWidth + ".");
        }
        this.backend = backend;
        this.inputWidth = inputWidth;
        try {
            createParameters(backend, inputWidth, init);
        } catch (RuntimeException e) {
            // out of device memory half-way: give back what was created, and stay unbuilt so a retry works
            close();
            parameters.clear();
            this.inputWidth = -1;
            this.backend = null;
            throw e;
        }
    }

    /**
     * The shapes of the parameters {@link #build} would create for {@code inputWidth} inputs, in
     * order, as saved in files (vectors 1-D): lets a loader check a file before allocating.
     */
    public List<long[]> parameterShapes(int inputWidth) {
        return List.of();
    }

    /** How many numbers {@link #parameterShapes} adds up to: the summary's count before the model is built. */
    public long parameterCountFor(int inputWidth) {
        long total = 0;
        for (long[] shape : parameterShapes(inputWidth)) {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            total += size;
        }
        return total;
    }

    /** The trainable part of {@link #parameterCountFor}; all of it unless a layer keeps statistics. */
    public long trainableParameterCountFor(int inputWidth) {
        return parameterCountFor(inputWidth);
    }

    /** Creates and initialises parameters; the default has none. */
    protected void createParameters(Backend backend, int inputWidth, Random init) {
    }

    /** Makes sure the work buffers hold at least {@code rows} rows. Allocates only when growing. */
    public final void ensureCapacity(int rows) {
        requireBuilt();
        if (rows > capacityRows) {
            releaseBuffers();
            capacityRows = 0;       // until the new buffers are all there (allocation may fail half-way)
            allocateBuffers(backend, rows);
            capacityRows = rows;
        }
    }

    public int capacityRows() {
        return capacityRows;
    }

    protected abstract void allocateBuffers(Backend backend, int rows);

    protected abstract void releaseBuffers();

    /**
     * Computes the output for {@code rows} rows of {@code input} (rows×inputWidth) and returns the
     * layer's output buffer. The input must stay unchanged until backward has run.
     */
    public abstract Storage forward(Storage input, int rows, StepContext ctx);

    /**
     * Given the forward input and {@code dOutput} = dL/d(output), writes the parameter gradients
     * and returns dL/d(input), or null when {@code needInputGradient} is false. May overwrite
     * dOutput.
     */
    public abstract Storage backward(Storage input, Storage dOutput, int rows, boolean needInputGradient, StepContext ctx);

    /**
     * The layer's settings as Keras-style JSON values ({@code "units": 4, "activation": "relu"}),
     * saved with the model; {@link LayerConfig#fromConfig} rebuilds the layer from them.
     */
    public abstract java.util.Map<String, Object> config();

    /** The layer's weights in Keras' order (kernel, bias, ...), each as a matrix (vectors are 1×n). */
    public List<float[][]> getWeights() {
        requireBuilt();
        List<float[][]> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(p.value().toArray());
        }
        return out;
    }

    /** Sets the layer's weights in {@link #getWeights()}' layout; checks every shape first, so a failure changes nothing. */
    public void setWeights(List<float[][]> weights) {
        requireBuilt();
        if (weights.size() != parameters.size()) {
            throw new LaminaException("Layer " + describe() + " has " + parameters.size() + " weight arrays, got " + weights.size() + ".");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[][] w = weights.get(i);
            boolean ok = w != null && w.length == p.rows();
            for (int r = 0; ok && r < w.length; r++) {
                ok = w[r] != null && w[r].length == p.cols();
            }
            if (!ok) {
                throw new LaminaException("Layer " + describe() + ": weight '" + p.name() + "' needs shape [" + p.rows() + "]["
                        + p.cols() + "]; the layer is unchanged.");
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).value().upload(weights.get(i));
        }
    }

    /** A short description of the layer's configuration for error messages and summaries. */
    public String describe() {
        return className() + (name == null ? "" : " '" + name + "'");
    }

    protected final void requireBuilt() {
        if (!isBuilt()) {
            throw new LaminaException("Layer " + describe() + " is not built yet: its input width is found at the first "
                    + "fit or predict, or set it with model.build(inputWidth).");
        }
    }

    protected static Storage allocate(Backend backend, long size) {
        return backend.allocate(Math.max(1, size));
    }

    protected static void release(Backend backend, Storage s) {
        if (s != null) {
            backend.release(s);
        }
    }

    /** Uploads host values into a parameter, checking the shape. */
    protected static void set(Parameter p, float[] flat) {
        p.value().upload(flat);
    }

    protected static Tensor valueOf(Parameter p) {
        return p.value();
    }

    @Override
    public void close() {
        releaseBuffers();
        capacityRows = 0;
        parameters.forEach(Parameter::close);
    }
}
