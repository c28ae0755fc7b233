package dev.lamina.layers;

import dev.lamina.LaminaException;
import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import dev.lamina.initializers.Initializer;
import java.util.Random;

/**
 * A densely-connected layer, as Keras' {@code Dense}: {@code y = activation(x·kernel + bias)} with a
 * kernel of shape [inputs][units], glorot_uniform by default, and a zero bias.
 */
public class Dense extends Layer {
    private final int units;
    private final ActivationKind activation;
    private Initializer kernelInitializer = Initializer.GLOROT_UNIFORM;
    private Initializer biasInitializer = Initializer.ZEROS;
    private float l1;
    private float l2;
    private Parameter kernel;
    private Parameter bias;
    private Storage z;
    private Storage y;
    private Storage dx;

    /** A linear layer of {@code units} outputs. */
    public Dense(int units) {
        this(units, ActivationKind.LINEAR);
    }

    /** A layer with an activation by Keras name ("relu", "sigmoid", ...; null for linear). */
    public Dense(int units, String activation) {
        this(units, ActivationKind.of(activation));
    }

    public Dense(int units, ActivationKind activation) {
        if (units <= 0) {
            throw new LaminaException("Dense needs a positive number of units, got " + units + ".");
        }
        this.units = units;
        this.activation = activation;
    }

    /** The kernel initializer by Keras name (default glorot_uniform). */
    public Dense kernelInitializer(String name) {
        return kernelInitializer(Initializer.of(name));
    }

    public Dense kernelInitializer(Initializer initializer) {
        this.kernelInitializer = initializer;
        return this;
    }

    public Dense biasInitializer(String name) {
        this.biasInitializer = Initializer.of(name);
        return this;
    }

    /** Keras' kernel_regularizer=L1L2(l1, l2): adds l1·Σ|w| + l2·Σw² to the loss. */
    public Dense kernelRegularizer(float l1, float l2) {
        if (l1 < 0 || l2 < 0) {
            throw new LaminaException("Regularisation factors must not be negative, got l1=" + l1 + ", l2=" + l2 + ".");
        }
        this.l1 = l1;
        this.l2 = l2;
        if (kernel != null) {
            kernel.regularize(l1, l2);
        }
        return this;
    }

    public int units() {
        return units;
    }

    public ActivationKind activation() {
        return activation;
    }

    public Initializer kernelInitializer() {
        return kernelInitializer;
    }

    public Initializer biasInitializer() {
        return biasInitializer;
    }

    public float l1() {
        return l1;
    }

    public float l2() {
        return l2;
    }

    @Override
    public String typeName() {
        return "dense";
    }

    @Override
    public int outputWidth(int inputWidth) {
        return units;
    }

    @Override
    public java.util.List<long[]> parameterShapes(int inputWidth) {
        return java.util.List.of(new long[] {inputWidth, units}, new long[] {units});
    }

    @Override
    protected void createParameters(Backend backend, int inputWidth, Random init) {
        // each parameter joins the list as soon as it exists, so a failure half-way releases it
        kernel = new Parameter("kernel", backend, inputWidth, units, true);
        parameters.add(kernel);
        bias = new Parameter("bias", backend, 1, units, true);
        parameters.add(bias);
        kernel.regularize(l1, l2);
        set(kernel, kernelInitializer.sample(inputWidth, units, inputWidth * units, init));
        set(bias, biasInitializer.sample(inputWidth, units, units, init));
    }

    @Override
    protected void allocateBuffers(Backend backend, int rows) {
        y = allocate(backend, (long) rows * units);
        z = activation == ActivationKind.LINEAR ? y : allocate(backend, (long) rows * units);
        dx = allocate(backend, (long) rows * inputWidth());
    }

    @Override
    protected void releaseBuffers() {
        if (y == null) {
            return;
        }
        Backend b = backend();
        if (z != y) {
            release(b, z);
        }
        release(b, y);
        release(b, dx);
        y = z = dx = null;
    }

    @Override
    public Storage forward(Storage input, int rows, StepContext ctx) {
        ctx.backend().denseForward(input, kernel.storage(), bias.storage(), activation, rows, inputWidth(), units, z, y);
        return y;
    }

    @Override
    public Storage backward(Storage input, Storage dOutput, int rows, boolean needInputGradient, StepContext ctx) {
        ctx.backend().denseBackward(input, kernel.storage(), activation, z, y, dOutput, rows, inputWidth(), units,
                dOutput, kernel.gradient(), bias.gradient(), needInputGradient ? dx : null);
        return needInputGradient ? dx : null;
    }

    /** The kernel as [inputs][units], like Keras' {@code get_weights()[0]}. */
    public float[][] getKernel() {
        requireBuilt();
        return kernel.value().toArray();
    }

    /** The bias, like Keras' {@code get_weights()[1]}. */
    public float[] getBias() {
        requireBuilt();
        return bias.value().toFlatArray();
    }

    /** Sets kernel [inputs][units] and bias [units], as Keras' {@code set_weights([kernel, bias])}. */
    public void setWeights(float[][] kernelValues, float[] biasValues) {
        requireBuilt();
        if (kernelValues.length != inputWidth()) {
            throw new LaminaException("Layer " + describe() + " expects a kernel of shape [" + inputWidth() + "][" + units
                    + "], got " + kernelValues.length + " rows.");
        }
        for (int r = 0; r < kernelValues.length; r++) {
            if (kernelValues[r].length != units) {
                throw new LaminaException("Layer " + describe() + " expects a kernel of shape [" + inputWidth() + "][" + units
                        + "], but row " + r + " has " + kernelValues[r].length + " values.");
            }
        }
        if (biasValues.length != units) {
            throw new LaminaException("Layer " + describe() + " expects a bias of " + units + " values, got " + biasValues.length + ".");
        }
        kernel.value().upload(kernelValues);
        bias.value().upload(biasValues);
    }

    @Override
    public java.util.Map<String, Object> config() {
        java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
        c.put("units", units);
        c.put("activation", activation.kerasName());
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        if (l1 != 0 || l2 != 0) {
            c.put("kernel_regularizer", java.util.Map.of("l1", l1, "l2", l2));
        }
        return c;
    }

    @Override
    public String describe() {
        return "Dense(" + units + (activation == ActivationKind.LINEAR ? "" : ", " + activation.kerasName()) + ")"
                + (name() == null ? "" : " '" + name() + "'");
    }
}
