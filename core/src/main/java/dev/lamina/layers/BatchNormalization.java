package dev.lamina.layers;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Keras' {@code BatchNormalization} over the feature axis: in training, normalises each column with
 * the batch's mean and (biased) variance and updates the moving statistics with momentum 0.99; in
 * inference, uses the moving statistics. {@code y = gamma·(x − mean)/√(var + ε) + beta}, ε = 1e-3.
 * Weights in Keras' order: gamma, beta, moving_mean, moving_variance.
 */
public class BatchNormalization extends Layer {
    private final float momentum;
    private final float epsilon;
    private Parameter gamma;
    private Parameter beta;
    private Parameter movingMean;
    private Parameter movingVariance;
    /** Per-column work vectors: batch mean, variance, 1/√(var+ε), and two for backward. */
    private Storage mean;
    private Storage variance;
    private Storage invStd;
    private Storage columnA;
    private Storage columnB;
    private Storage xhat;
    private Storage y;
    private Storage work;

    public BatchNormalization() {
        this(0.99, 1e-3);
    }

    public BatchNormalization(double momentum, double epsilon) {
        if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0)) {
            throw new LaminaException("BatchNormalization needs momentum in [0, 1] and a positive epsilon, got "
                    + momentum + " and " + epsilon + ".");
        }
        this.momentum = (float) momentum;
        this.epsilon = (float) epsilon;
    }

    public float momentum() {
        return momentum;
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    public String typeName() {
        return "batch_normalization";
    }

    @Override
    public int outputWidth(int inputWidth) {
        return inputWidth;
    }

    @Override
    public java.util.List<long[]> parameterShapes(int width) {
        long[] v = {width};
        return java.util.List.of(v, v, v, v);
    }

    /** gamma and beta train; the moving mean and variance do not. */
    @Override
    public long trainableParameterCountFor(int width) {
        return 2L * width;
    }

    @Override
    protected void createParameters(Backend backend, int width, Random init) {
        // each parameter joins the list as soon as it exists, so a failure half-way releases it
        gamma = new Parameter("gamma", backend, 1, width, true);
        parameters.add(gamma);
        beta = new Parameter("beta", backend, 1, width, true);
        parameters.add(beta);
        movingMean = new Parameter("moving_mean", backend, 1, width, false);
        parameters.add(movingMean);
        movingVariance = new Parameter("moving_variance", backend, 1, width, false);
        parameters.add(movingVariance);
        backend.fill(gamma.storage(), 0, width, 1f);
        backend.fill(movingVariance.storage(), 0, width, 1f);
        mean = allocate(backend, width);
        variance = allocate(backend, width);
        invStd = allocate(backend, width);
        columnA = allocate(backend, width);
        columnB = allocate(backend, width);
    }

    @Override
    protected void allocateBuffers(Backend backend, int rows) {
        long n = (long) rows * inputWidth();
        xhat = allocate(backend, n);
        y = allocate(backend, n);
        work = allocate(backend, n);
    }

    @Override
    protected void releaseBuffers() {
        if (xhat != null) {
            Backend b = backend();
            release(b, xhat);
            release(b, y);
            release(b, work);
            xhat = y = work = null;
        }
    }

    @Override
    public Storage forward(Storage x, int rows, StepContext ctx) {
        Backend b = ctx.backend();
        int cols = inputWidth();
        int n = rows * cols;
        if (ctx.training()) {
            b.biasGradient(x, rows, cols, mean);
            b.affine(mean, 1f / rows, 0f, mean, cols);
            b.affine(mean, -1f, 0f, columnA, cols);
            b.biasAdd(x, columnA, rows, cols, xhat);                 // x − mean
            b.unary(UnaryOp.SQUARE, xhat, work, n);
            b.biasGradient(work, rows, cols, variance);
            b.affine(variance, 1f / rows, 0f, variance, cols);       // biased variance, as Keras' moments
            b.axpby(1f - momentum, mean, momentum, movingMean.storage(), cols);
            b.axpby(1f - momentum, variance, momentum, movingVariance.storage(), cols);
            inverseStd(b, variance, cols);
            b.columnScale(xhat, invStd, rows, cols, xhat);
            b.columnScale(xhat, gamma.storage(), rows, cols, y);
        } else {
            // y = (x − moving_mean)·gamma/√(moving_var + ε) + beta
            inverseStd(b, movingVariance.storage(), cols);
            b.affine(movingMean.storage(), -1f, 0f, columnA, cols);
            b.biasAdd(x, columnA, rows, cols, y);
            b.binary(BinaryOp.MUL, invStd, gamma.storage(), columnB, cols);
            b.columnScale(y, columnB, rows, cols, y);
        }
        b.biasAdd(y, beta.storage(), rows, cols, y);
        return y;
    }

    private void inverseStd(Backend b, Storage var, int cols) {
        b.affine(var, 1f, epsilon, invStd, cols);
        b.unary(UnaryOp.SQRT, invStd, invStd, cols);
        b.unary(UnaryOp.RECIPROCAL, invStd, invStd, cols);
    }

    /**
     * Training-mode backward: dβ = Σdy, dγ = Σdy·x̂, and with g = dy·γ,
     * dx = invStd·(g − mean(g) − x̂·mean(g·x̂)) column by column.
     */
    @Override
    public Storage backward(Storage x, Storage dy, int rows, boolean needInputGradient, StepContext ctx) {
        Backend b = ctx.backend();
        int cols = inputWidth();
        int n = rows * cols;
        b.biasGradient(dy, rows, cols, beta.gradient());
        b.binary(BinaryOp.MUL, dy, xhat, work, n);
        b.biasGradient(work, rows, cols, gamma.gradient());
        if (!needInputGradient) {
            return null;
        }
        Storage g = dy;                                             // dy is consumed: reuse it for g
        b.columnScale(dy, gamma.storage(), rows, cols, g);
        b.biasGradient(g, rows, cols, columnA);
        b.affine(columnA, -1f / rows, 0f, columnA, cols);          // −mean(g)
        b.binary(BinaryOp.MUL, g, xhat, work, n);
        b.biasGradient(work, rows, cols, columnB);
        b.affine(columnB, -1f / rows, 0f, columnB, cols);          // −mean(g·x̂)
        b.columnScale(xhat, columnB, rows, cols, work);
        b.binary(BinaryOp.ADD, g, work, g, n);
        b.biasAdd(g, columnA, rows, cols, g);
        b.columnScale(g, invStd, rows, cols, g);
        return g;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        return c;
    }

    @Override
    public void close() {
        super.close();
        if (mean != null) {
            Backend b = backend();
            for (Storage s : new Storage[] {mean, variance, invStd, columnA, columnB}) {
                release(b, s);
            }
            mean = null;
        }
    }
}
