package dev.lamina.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite-difference checks of every activation, every loss and the Dense layer's gradients, run on
 * the backend under test: the analytic gradient from backward must match central differences of
 * the forward pass, computed by the same backend.
 */
public abstract class GradientCheckTest {
    protected abstract Backend backend();

    protected Backend backend;
    private final Random random = new Random(7);

    @BeforeEach
    void setUpBackend() {
        backend = backend();
    }

    private Storage upload(float[] v) {
        Storage s = backend.allocate(v.length);
        backend.upload(v, 0, s, 0, v.length);
        return s;
    }

    private float[] download(Storage s, int n) {
        float[] out = new float[n];
        backend.download(s, 0, out, 0, n);
        return out;
    }

    private float[] randoms(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return v;
    }

    /** Central difference vs analytic, with a tolerance suited to float32 forward passes. */
    private static void assertGradient(String what, double numeric, double analytic) {
        double tol = 2e-3 + 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic));
        assertTrue(Math.abs(numeric - analytic) <= tol,
                what + ": numeric " + numeric + " vs analytic " + analytic + " (tolerance " + tol + ")");
    }

    /** L = Σ w ⊙ f(x) for fixed random w, so dL/dx = f'(x)·w. */
    private double weightedActivation(ActivationKind kind, float[] x, float[] w, int rows, int cols) {
        Storage xs = upload(x);
        Storage ys = backend.allocate(x.length);
        backend.activationForward(kind, xs, ys, rows, cols);
        float[] y = download(ys, x.length);
        backend.release(xs);
        backend.release(ys);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (double) w[i] * y[i];
        }
        return sum;
    }

    @ParameterizedTest(name = "activation {0}")
    @EnumSource(ActivationKind.class)
    void activationGradients(ActivationKind kind) {
        int rows = 3;
        int cols = 5;
        int n = rows * cols;
        float[] x = randoms(n, -3, 3);
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[i]) < 0.05) {
                x[i] = 0.3f; // keep clear of the kink of relu-like functions
            }
        }
        float[] w = randoms(n, -1, 1);
        Storage xs = upload(x);
        Storage ys = backend.allocate(n);
        Storage dy = upload(w);
        Storage dx = backend.allocate(n);
        backend.activationForward(kind, xs, ys, rows, cols);
        backend.activationBackward(kind, xs, ys, dy, dx, rows, cols);
        float[] analytic = download(dx, n);
        float h = 1e-2f;
        for (int i = 0; i < n; i++) {
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (weightedActivation(kind, plus, w, rows, cols) - weightedActivation(kind, minus, w, rows, cols))
                    / ((double) plus[i] - minus[i]);
            assertGradient(kind + " d/dx[" + i + "] at " + x[i], numeric, analytic[i]);
        }
        for (Storage s : new Storage[] {xs, ys, dy, dx}) {
            backend.release(s);
        }
    }

    private double lossValue(LossKind kind, float[] pred, Storage target, int rows, int cols, Scratch scratch) {
        Storage p = upload(pred);
        Storage grad = backend.allocate(pred.length);
        Storage out = backend.allocate(1);
        backend.loss(kind, p, target, rows, cols, 1f, grad, out, 0, scratch);
        double v = download(out, 1)[0];
        backend.release(p);
        backend.release(grad);
        backend.release(out);
        return v;
    }

    @ParameterizedTest(name = "loss {0}")
    @EnumSource(LossKind.class)
    void lossGradients(LossKind kind) {
        int rows = 4;
        int cols = 3;
        int n = rows * cols;
        boolean probabilities = kind == LossKind.BINARY_CROSSENTROPY || kind == LossKind.CATEGORICAL_CROSSENTROPY
                || kind == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY;
        float[] pred = probabilities ? randoms(n, 0.05, 0.95) : randoms(n, -2, 2);
        float[] target;
        if (kind.sparse()) {
            target = new float[] {0, 2, 1, 2};
        } else if (kind == LossKind.CATEGORICAL_CROSSENTROPY || kind == LossKind.CATEGORICAL_CROSSENTROPY_FROM_LOGITS) {
            target = new float[n];
            for (int r = 0; r < rows; r++) {
                target[r * cols + random.nextInt(cols)] = 1;
            }
        } else if (kind == LossKind.BINARY_CROSSENTROPY || kind == LossKind.BINARY_CROSSENTROPY_FROM_LOGITS) {
            target = new float[n];
            for (int i = 0; i < n; i++) {
                target[i] = random.nextBoolean() ? 1 : 0;
            }
        } else {
            target = randoms(n, -2, 2);
            for (int i = 0; i < n; i++) {
                if (Math.abs(pred[i] - target[i]) < 0.05 || Math.abs(Math.abs(pred[i] - target[i]) - 1) < 0.05) {
                    target[i] += 0.2f; // keep clear of the kinks of mae and huber
                }
            }
        }
        try (Scratch scratch = new Scratch(backend)) {
            Storage t = upload(target);
            Storage p = upload(pred);
            Storage grad = backend.allocate(n);
            Storage out = backend.allocate(1);
            backend.loss(kind, p, t, rows, cols, 1f, grad, out, 0, scratch);
            float[] analytic = download(grad, n);
            float h = probabilities ? 1e-3f : 1e-2f;
            for (int i = 0; i < n; i++) {
                float[] plus = pred.clone();
                float[] minus = pred.clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (lossValue(kind, plus, t, rows, cols, scratch) - lossValue(kind, minus, t, rows, cols, scratch))
                        / ((double) plus[i] - minus[i]);
                assertGradient(kind + " d/dpred[" + i + "]", numeric, analytic[i]);
            }
            for (Storage s : new Storage[] {t, p, grad, out}) {
                backend.release(s);
            }
        }
    }

    /** L = Σ w ⊙ Dense(x): checks dL/dkernel, dL/dbias and dL/dx for a layer with an activation. */
    @ParameterizedTest(name = "dense with {0}")
    @EnumSource(value = ActivationKind.class, names = {"LINEAR", "TANH", "SOFTMAX", "SELU"})
    void denseGradients(ActivationKind act) {
        int rows = 3;
        int in = 4;
        int out = 5;
        float[] x = randoms(rows * in, -1, 1);
        float[] k = randoms(in * out, -0.7, 0.7);
        float[] b = randoms(out, -0.3, 0.3);
        float[] w = randoms(rows * out, -1, 1);
        Storage xs = upload(x);
        Storage ks = upload(k);
        Storage bs = upload(b);
        Storage z = backend.allocate(rows * out);
        Storage y = backend.allocate(rows * out);
        Storage dy = upload(w);
        Storage dk = backend.allocate(in * out);
        Storage db = backend.allocate(out);
        Storage dx = backend.allocate(rows * in);
        backend.denseForward(xs, ks, bs, act, rows, in, out, z, y);
        backend.denseBackward(xs, ks, act, z, y, dy, rows, in, out, dy, dk, db, dx);
        float[] gk = download(dk, in * out);
        float[] gb = download(db, out);
        float[] gx = download(dx, rows * in);
        float h = 1e-2f;
        for (int i = 0; i < k.length; i++) {
            float[] p = k.clone();
            float[] m = k.clone();
            p[i] += h;
            m[i] -= h;
            assertGradient("dense " + act + " dKernel[" + i + "]",
                    (denseLoss(act, x, p, b, w, rows, in, out) - denseLoss(act, x, m, b, w, rows, in, out)) / ((double) p[i] - m[i]), gk[i]);
        }
        for (int i = 0; i < b.length; i++) {
            float[] p = b.clone();
            float[] m = b.clone();
            p[i] += h;
            m[i] -= h;
            assertGradient("dense " + act + " dBias[" + i + "]",
                    (denseLoss(act, x, k, p, w, rows, in, out) - denseLoss(act, x, k, m, w, rows, in, out)) / ((double) p[i] - m[i]), gb[i]);
        }
        for (int i = 0; i < x.length; i++) {
            float[] p = x.clone();
            float[] m = x.clone();
            p[i] += h;
            m[i] -= h;
            assertGradient("dense " + act + " dx[" + i + "]",
                    (denseLoss(act, p, k, b, w, rows, in, out) - denseLoss(act, m, k, b, w, rows, in, out)) / ((double) p[i] - m[i]), gx[i]);
        }
        for (Storage s : new Storage[] {xs, ks, bs, z, y, dy, dk, db, dx}) {
            backend.release(s);
        }
    }

    private double denseLoss(ActivationKind act, float[] x, float[] k, float[] b, float[] w, int rows, int in, int out) {
        Storage xs = upload(x);
        Storage ks = upload(k);
        Storage bs = upload(b);
        Storage z = backend.allocate(rows * out);
        Storage y = backend.allocate(rows * out);
        backend.denseForward(xs, ks, bs, act, rows, in, out, z, y);
        float[] yv = download(y, rows * out);
        for (Storage s : new Storage[] {xs, ks, bs, z, y}) {
            backend.release(s);
        }
        double sum = 0;
        for (int i = 0; i < yv.length; i++) {
            sum += (double) w[i] * yv[i];
        }
        return sum;
    }

    /** L = Σ w ⊙ layer(x) in training mode; checks dL/dx and dL/dparameters of a layer by central differences. */
    private void checkLayer(String what, java.util.function.Supplier<dev.lamina.layers.Layer> make, int rows, int width) {
        float[] x = randoms(rows * width, -2, 2);
        float[] w = randoms(rows * width, -1, 1);
        dev.lamina.layers.Layer layer = make.get();
        layer.build(backend, width, new Random(3));
        layer.ensureCapacity(rows);
        // non-trivial gamma and beta so their gradients matter
        java.util.List<float[][]> weights = layer.getWeights();
        for (float[][] m : weights) {
            for (float[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = 0.5f + random.nextFloat();
                }
            }
        }
        layer.setWeights(weights);
        try (Scratch scratch = new Scratch(backend)) {
            dev.lamina.layers.StepContext ctx = new dev.lamina.layers.StepContext(backend, scratch);
            ctx.training(true);
            ctx.seed(99);
            Storage xs = upload(x);
            Storage out = layer.forward(xs, rows, ctx);
            int outWidth = layer.outputWidth();
            Storage dy = upload(w);
            Storage dx = layer.backward(xs, dy, rows, true, ctx);
            float[] analyticX = download(dx, rows * width);
            java.util.List<float[]> analyticParams = new java.util.ArrayList<>();
            for (dev.lamina.layers.Parameter p : layer.parameters()) {
                analyticParams.add(p.trainable() ? download(p.gradient(), p.size()) : null);
            }
            java.util.function.Function<float[], Double> lossOfX = xv -> {
                Storage s = upload(xv);
                float[] y = download(layer.forward(s, rows, ctx), rows * outWidth);
                backend.release(s);
                double sum = 0;
                for (int i = 0; i < y.length; i++) {
                    sum += (double) w[i] * y[i];
                }
                return sum;
            };
            float h = 1e-2f;
            for (int i = 0; i < x.length; i++) {
                float[] p = x.clone();
                float[] m = x.clone();
                p[i] += h;
                m[i] -= h;
                assertGradient(what + " dx[" + i + "]", (lossOfX.apply(p) - lossOfX.apply(m)) / ((double) p[i] - m[i]), analyticX[i]);
            }
            java.util.List<dev.lamina.layers.Parameter> params = layer.parameters();
            for (int k = 0; k < params.size(); k++) {
                dev.lamina.layers.Parameter param = params.get(k);
                if (!param.trainable()) {
                    continue;
                }
                float[] base = download(param.storage(), param.size());
                for (int i = 0; i < base.length; i++) {
                    float[] p = base.clone();
                    float[] m = base.clone();
                    p[i] += h;
                    m[i] -= h;
                    backend.upload(p, 0, param.storage(), 0, p.length);
                    double lp = lossOfX.apply(x);
                    backend.upload(m, 0, param.storage(), 0, m.length);
                    double lm = lossOfX.apply(x);
                    backend.upload(base, 0, param.storage(), 0, base.length);
                    assertGradient(what + " d" + param.name() + "[" + i + "]", (lp - lm) / ((double) p[i] - m[i]), analyticParams.get(k)[i]);
                }
            }
            backend.release(xs);
            backend.release(dy);
            out.size();
        } finally {
            layer.close();
        }
    }

    @Test
    void batchNormalizationInTrainingMode() {
        checkLayer("BatchNormalization", dev.lamina.layers.BatchNormalization::new, 6, 4);
    }

    @Test
    void dropoutInTrainingMode() {
        checkLayer("Dropout(0.4)", () -> new dev.lamina.layers.Dropout(0.4), 5, 7);
    }

    @Test
    void optimizerMathMatchesKerasFormulas() {
        // one Adam step from m = v = 0 with Keras' form: w -= lr·√(1−β2)/(1−β1) · m/(√v + ε)
        float g = 0.5f;
        Storage w = upload(new float[] {1f});
        Storage gs = upload(new float[] {g});
        Storage m = backend.allocate(1);
        Storage v = backend.allocate(1);
        try (Scratch scratch = new Scratch(backend)) {
            float lr = 0.001f;
            float lrT = (float) (lr * Math.sqrt(1 - 0.999) / (1 - 0.9));
            backend.adamUpdate(w, gs, m, v, 1, lr, lrT, 0.9f, 0.999f, 1e-7f, 0f, scratch);
        }
        double mExpected = 0.1 * g;
        double vExpected = 0.001 * g * g;
        double wExpected = 1 - 0.001 * Math.sqrt(1 - 0.999) / (1 - 0.9) * mExpected / (Math.sqrt(vExpected) + 1e-7);
        assertGradient("adam m", mExpected, download(m, 1)[0]);
        assertGradient("adam v", vExpected, download(v, 1)[0]);
        assertTrue(Math.abs(wExpected - download(w, 1)[0]) < 1e-6, "adam w " + download(w, 1)[0] + " vs " + wExpected);
        for (Storage s : new Storage[] {w, gs, m, v}) {
            backend.release(s);
        }
    }
}
