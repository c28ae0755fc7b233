package dev.lamina.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.FusedOps;
import dev.lamina.backend.IndexStorage;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import dev.lamina.backend.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Property tests: every SPI op, on shapes drawn at random, agrees with the reference backend. Where
 * {@link BackendConformanceTest} tries a fixed list of edge shapes, this draws many: sizes of 1,
 * sizes just off every tile and vector width (multiples of 4, 6, 8, 16, 32, 64, 256 and one either
 * side) and arbitrary ones, so a kernel's edge handling meets shapes nobody thought of.
 *
 * <p>Each backend module subclasses this and supplies its backend (a subclass may skip the whole
 * class with a JUnit assumption in {@link #backend()}). Seeded: a failure names the op, the trial
 * and the shape, and replays with the same seed. More trials: {@code -Dlamina.property.trials=500};
 * another seed: {@code -Dlamina.property.seed=...}.
 */
public abstract class BackendPropertyTest {
    /** Widths that kernels tile or vectorise by; sizes one either side of their multiples are drawn often. */
    private static final int[] TILE_WIDTHS = {4, 6, 8, 12, 16, 32, 64, 256};

    /** The backend under test. Called before each test. */
    protected abstract Backend backend();

    /** Random cases per op. */
    protected int trials() {
        return Integer.getInteger("lamina.property.trials", 25);
    }

    protected long seed() {
        return Long.getLong("lamina.property.seed", 20261129L);
    }

    /** Absolute tolerance for element-wise results; products and sums scale it with their length. */
    protected double atol() {
        return 1e-5;
    }

    protected double rtol() {
        return 1e-4;
    }

    /** The largest m·n·k drawn for a product (the reference is a plain triple loop). */
    protected long maxProductWork() {
        return 1_500_000;
    }

    private final Backend reference = new ReferenceBackend();
    private final List<Runnable> cleanup = new ArrayList<>();
    private Backend backend;
    private Random random;
    private String trial;

    @BeforeEach
    void setUp() {
        backend = backend();
    }

    @AfterEach
    void tearDown() {
        cleanup.forEach(Runnable::run);
        cleanup.clear();
    }

    /** Runs {@code body} once per trial, with a generator seeded by the op's name and the trial number. */
    private void forEachTrial(String op, Runnable body) {
        for (int t = 0; t < trials(); t++) {
            random = new Random(seed() * 31 + op.hashCode() * 1_000_003L + t);
            trial = op + " trial " + t + " (seed " + seed() + ")";
            body.run();
            cleanup.forEach(Runnable::run);
            cleanup.clear();
        }
    }

    /** A size in [1, max]: 1, one off a multiple of a tile width, or anything, with equal odds. */
    private int size(int max) {
        switch (random.nextInt(3)) {
            case 0:
                return 1;
            case 1: {
                int w = TILE_WIDTHS[random.nextInt(TILE_WIDTHS.length)];
                int multiples = Math.max(1, max / w);
                int n = w * (1 + random.nextInt(multiples)) + random.nextInt(3) - 1;
                return Math.max(1, Math.min(max, n));
            }
            default:
                return 1 + random.nextInt(max);
        }
    }

    private float[] values(int n, float lo, float hi) {
        return RandomInputs.uniform(n, lo, hi, random);
    }

    /** The same values on the reference and on the backend under test. */
    private final class Pair extends StoragePair {
        Pair(float[] values) {
            super(reference, backend, values, cleanup);
        }

        void check(String what, String shape) {
            check(what, shape, atol(), rtol());
        }

        void check(String what, String shape, double atol, double rtol) {
            Tolerance.assertClose(trial + ": " + what + " " + shape + " on " + backend.name(), refValues(), dutValues(), n, atol, rtol);
        }
    }

    private Pair pair(int n, float lo, float hi) {
        return new Pair(values(n, lo, hi));
    }

    // ------------------------------------------------------------ storage

    @Test
    void storageRoundTripsWithOffsets() {
        forEachTrial("storage", () -> {
            int n = size(3000);
            Pair a = pair(n, -1, 1);
            Pair b = pair(n, -1, 1);
            int from = random.nextInt(n);
            int to = random.nextInt(n);
            int len = random.nextInt(n - Math.max(from, to) + 1);
            reference.copy(a.ref, from, b.ref, to, len);
            backend.copy(a.dut, from, b.dut, to, len);
            b.check("copy", "n=" + n + " from=" + from + " to=" + to + " len=" + len, 0, 0);
            float value = random.nextFloat();
            reference.fill(a.ref, from, len, value);
            backend.fill(a.dut, from, len, value);
            a.check("fill", "n=" + n + " at=" + from + " len=" + len, 0, 0);
            float[] host = values(len, -5, 5);
            backend.upload(host, 0, b.dut, to, len);
            float[] back = new float[len];
            backend.download(b.dut, to, back, 0, len);
            assertArrayEquals(host, back, trial + ": upload/download round trip");
        });
    }

    @Test
    void gatherRows() {
        forEachTrial("gatherRows", () -> {
            int rows = size(300);
            int cols = size(100);
            int take = size(rows);
            int offset = random.nextInt(3);
            int[] order = new int[take + offset];
            for (int i = 0; i < order.length; i++) {
                order[i] = random.nextInt(rows);
            }
            Pair src = pair(rows * cols, -1, 1);
            IndexStorage refIdx = reference.allocateIndices(order.length);
            IndexStorage dutIdx = backend.allocateIndices(order.length);
            reference.uploadIndices(order, 0, refIdx, 0, order.length);
            backend.uploadIndices(order, 0, dutIdx, 0, order.length);
            cleanup.add(() -> backend.release(dutIdx));
            Pair dst = pair(take * cols, 0, 0);
            reference.gatherRows(src.ref, cols, refIdx, offset, take, dst.ref);
            backend.gatherRows(src.dut, cols, dutIdx, offset, take, dst.dut);
            dst.check("gatherRows", rows + "x" + cols + " take " + take, 0, 0);
        });
    }

    // ------------------------------------------------------------ matrix ops

    @Test
    void gemm() {
        forEachTrial("gemm", () -> {
            int m = size(300);
            int n = size(300);
            int k = size(300);
            while ((long) m * n * k > maxProductWork()) {
                k = Math.max(1, k / 2);
                n = Math.max(1, n - n / 4);
            }
            boolean ta = random.nextBoolean();
            boolean tb = random.nextBoolean();
            float alpha = random.nextBoolean() ? 1f : values(1, -2, 2)[0];
            float beta = new float[] {0f, 1f, values(1, -1, 1)[0]}[random.nextInt(3)];
            Pair a = pair(m * k, -1, 1);
            Pair b = pair(k * n, -1, 1);
            Pair c = pair(m * n, -1, 1);
            if (beta == 0f) { // beta 0 must not read C: poison it
                float[] nan = new float[m * n];
                Arrays.fill(nan, Float.NaN);
                backend.upload(nan, 0, c.dut, 0, m * n);
            }
            reference.gemm(ta, tb, m, n, k, alpha, a.ref, b.ref, beta, c.ref);
            backend.gemm(ta, tb, m, n, k, alpha, a.dut, b.dut, beta, c.dut);
            c.check("gemm", "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " alpha=" + alpha
                    + " beta=" + beta, atol() * 4 * Math.sqrt(k), rtol() * 4);
        });
    }

    @Test
    void rowAndColumnOps() {
        forEachTrial("rows and columns", () -> {
            int rows = size(300);
            int cols = size(300);
            String shape = rows + "x" + cols;
            Pair x = pair(rows * cols, -3, 3);
            Pair v = pair(cols, -1, 1);
            Pair y = pair(rows * cols, 0, 0);
            reference.biasAdd(x.ref, v.ref, rows, cols, y.ref);
            backend.biasAdd(x.dut, v.dut, rows, cols, y.dut);
            y.check("biasAdd", shape);
            reference.columnScale(x.ref, v.ref, rows, cols, y.ref);
            backend.columnScale(x.dut, v.dut, rows, cols, y.dut);
            y.check("columnScale", shape);
            Pair db = pair(cols, 9, 9);
            reference.biasGradient(x.ref, rows, cols, db.ref);
            backend.biasGradient(x.dut, rows, cols, db.dut);
            db.check("biasGradient", shape, atol() * 4 * Math.sqrt(rows) * 3, rtol());
            Pair out = pair(rows, 9, 9);
            reference.rowSums(x.ref, rows, cols, out.ref);
            backend.rowSums(x.dut, rows, cols, out.dut);
            out.check("rowSums", shape, atol() * 4 * Math.sqrt(cols) * 3, rtol());
            reference.logSumExpRows(x.ref, rows, cols, out.ref);
            backend.logSumExpRows(x.dut, rows, cols, out.dut);
            out.check("logSumExpRows", shape);
            reference.argmaxRows(x.ref, rows, cols, out.ref);
            backend.argmaxRows(x.dut, rows, cols, out.dut);
            out.check("argmaxRows", shape, 0, 0);
            float[] labels = new float[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = random.nextInt(cols + 2) - 1; // some outside [0, cols): a row of zeros
            }
            Pair l = new Pair(labels);
            Pair hot = pair(rows * cols, 7, 7);
            reference.oneHot(l.ref, rows, cols, hot.ref);
            backend.oneHot(l.dut, rows, cols, hot.dut);
            hot.check("oneHot", shape, 0, 0);
        });
    }

    // ------------------------------------------------------------ activations

    @Test
    void activations() {
        forEachTrial("activations", () -> {
            for (ActivationKind kind : ActivationKind.values()) {
                int rows = size(300);     // up to 90,000 elements: past the CPU backend's threshold for splitting
                int cols = size(300);
                String shape = kind + " " + rows + "x" + cols;
                int n = rows * cols;
                Pair x = pair(n, -8, 8);
                Pair y = pair(n, 0, 0);
                reference.activationForward(kind, x.ref, y.ref, rows, cols);
                backend.activationForward(kind, x.dut, y.dut, rows, cols);
                y.check("activationForward", shape);
                backend.upload(y.refValues(), 0, y.dut, 0, n); // compare backward alone
                Pair dy = pair(n, -1, 1);
                Pair dx = pair(n, 0, 0);
                reference.activationBackward(kind, x.ref, y.ref, dy.ref, dx.ref, rows, cols);
                backend.activationBackward(kind, x.dut, y.dut, dy.dut, dx.dut, rows, cols);
                dx.check("activationBackward", shape);
                reference.activationBackward(kind, x.ref, y.ref, dy.ref, dy.ref, rows, cols);
                backend.activationBackward(kind, x.dut, y.dut, dy.dut, dy.dut, rows, cols);
                dy.check("activationBackward in place (dx = dy)", shape);
            }
        });
    }

    // ------------------------------------------------------------ element-wise and reductions

    @Test
    void unaryOps() {
        forEachTrial("unary", () -> {
            for (UnaryOp op : UnaryOp.values()) {
                int n = size(100_000);
                boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
                Pair x = pair(n, positive ? 0.01f : -4f, 4f);
                Pair y = pair(n, 0, 0);
                reference.unary(op, x.ref, y.ref, n);
                backend.unary(op, x.dut, y.dut, n);
                y.check("unary " + op, "n=" + n);
                reference.unary(op, x.ref, x.ref, n);
                backend.unary(op, x.dut, x.dut, n);
                x.check("unary " + op + " in place", "n=" + n);
            }
        });
    }

    @Test
    void binaryOps() {
        forEachTrial("binary", () -> {
            for (BinaryOp op : BinaryOp.values()) {
                int n = size(100_000);
                float[] av = values(n, -3, 3);
                float[] bv = values(n, 0.25f, 3);
                for (int i = 0; i < n; i += 1 + random.nextInt(4)) {
                    bv[i] = av[i]; // ties for EQUAL, MAX, MIN, GREATER
                }
                Pair a = new Pair(av);
                Pair b = new Pair(bv);
                Pair out = pair(n, 0, 0);
                reference.binary(op, a.ref, b.ref, out.ref, n);
                backend.binary(op, a.dut, b.dut, out.dut, n);
                out.check("binary " + op, "n=" + n);
                reference.binary(op, a.ref, b.ref, a.ref, n);
                backend.binary(op, a.dut, b.dut, a.dut, n);
                a.check("binary " + op + " in place (out = a)", "n=" + n);
            }
        });
    }

    @Test
    void affineAxpbyClampSum() {
        forEachTrial("affine, axpby, clamp, sum", () -> {
            int n = size(100_000);
            String shape = "n=" + n;
            Pair x = pair(n, -2, 2);
            Pair y = pair(n, -2, 2);
            float alpha = values(1, -2, 2)[0];
            float beta = values(1, -2, 2)[0];
            reference.affine(x.ref, alpha, beta, y.ref, n);
            backend.affine(x.dut, alpha, beta, y.dut, n);
            y.check("affine", shape);
            reference.axpby(alpha, x.ref, beta, y.ref, n);
            backend.axpby(alpha, x.dut, beta, y.dut, n);
            y.check("axpby", shape);
            reference.clamp(x.ref, -0.5f, 0.75f, y.ref, n);
            backend.clamp(x.dut, -0.5f, 0.75f, y.dut, n);
            y.check("clamp", shape, 0, 0);
            reference.affine(y.ref, alpha, beta, y.ref, n);
            backend.affine(y.dut, alpha, beta, y.dut, n);
            y.check("affine in place", shape);
            Pair out = pair(3, 0.5f, 0.5f);
            int index = random.nextInt(3);
            boolean accumulate = random.nextBoolean();
            reference.sum(x.ref, n, alpha, out.ref, index, accumulate);
            backend.sum(x.dut, n, alpha, out.dut, index, accumulate);
            out.check("sum", shape + " accumulate=" + accumulate, atol() * 4 * Math.sqrt(n), rtol());
        });
    }

    @Test
    void dropoutMaskAndClipByNorm() {
        forEachTrial("dropout, clipByNorm", () -> {
            int n = size(20_000);
            float rate = random.nextInt(4) == 0 ? 0f : random.nextFloat() * 0.95f;
            long seed = random.nextLong();
            long offset = random.nextLong() >>> 2;
            Pair mask = pair(n, 0, 0);
            reference.dropoutMask(seed, offset, rate, mask.ref, n);
            backend.dropoutMask(seed, offset, rate, mask.dut, n);
            mask.check("dropoutMask", "n=" + n + " rate=" + rate, 0, 0);
            Pair g = pair(n, -1, 1);
            float maxNorm = random.nextFloat() * (float) Math.sqrt(n);
            reference.clipByNorm(g.ref, n, maxNorm);
            backend.clipByNorm(g.dut, n, maxNorm);
            g.check("clipByNorm", "n=" + n + " maxNorm=" + maxNorm);
        });
    }

    // ------------------------------------------------------------ fused ops against FusedOps on the reference

    @Test
    void denseForwardAndBackward() {
        forEachTrial("dense", () -> {
            ActivationKind act = ActivationKind.values()[random.nextInt(ActivationKind.values().length)];
            int rows = size(128);
            int in = size(128);
            int out = size(128);
            String shape = act + " rows=" + rows + " in=" + in + " out=" + out;
            Pair x = pair(rows * in, -1, 1);
            Pair w = pair(in * out, -0.5f, 0.5f);
            Pair b = pair(out, -0.5f, 0.5f);
            Pair z = pair(rows * out, 0, 0);
            Pair y = pair(rows * out, 0, 0);
            FusedOps.denseForward(reference, x.ref, w.ref, b.ref, act, rows, in, out, z.ref, y.ref);
            backend.denseForward(x.dut, w.dut, b.dut, act, rows, in, out, z.dut, y.dut);
            y.check("denseForward", shape, atol() * 4 * Math.sqrt(in), rtol() * 4);
            backend.upload(z.refValues(), 0, z.dut, 0, z.n);
            backend.upload(y.refValues(), 0, y.dut, 0, y.n);
            Pair dy = pair(rows * out, -1, 1);
            Pair dz = pair(rows * out, 0, 0);
            Pair dw = pair(in * out, 0, 0);
            Pair db = pair(out, 0, 0);
            Pair dx = pair(rows * in, 0, 0);
            FusedOps.denseBackward(reference, x.ref, w.ref, act, z.ref, y.ref, dy.ref, rows, in, out,
                    dz.ref, dw.ref, db.ref, dx.ref);
            backend.denseBackward(x.dut, w.dut, act, z.dut, y.dut, dy.dut, rows, in, out, dz.dut, dw.dut, db.dut, dx.dut);
            dw.check("denseBackward dW", shape, atol() * 4 * Math.sqrt(rows), rtol() * 4);
            db.check("denseBackward db", shape, atol() * 4 * Math.sqrt(rows), rtol() * 4);
            dx.check("denseBackward dx", shape, atol() * 4 * Math.sqrt(out), rtol() * 4);
        });
    }

    @Test
    void losses() {
        forEachTrial("losses", () -> {
            for (LossKind kind : LossKind.values()) {
                int rows = size(128);
                int cols = size(64);
                int n = rows * cols;
                float[] pred = RandomInputs.lossPredictions(kind, n, random);
                float[] target = RandomInputs.lossTargets(kind, rows, cols, random);
                Pair p = new Pair(pred);
                Pair t = new Pair(target);
                Pair grad = pair(n, 0, 0);
                Pair lossOut = pair(2, 7, 7);
                float delta = 0.5f + random.nextFloat();
                try (Scratch refScratch = new Scratch(reference); Scratch dutScratch = new Scratch(backend)) {
                    FusedOps.loss(reference, kind, p.ref, t.ref, rows, cols, delta, grad.ref, lossOut.ref, 1, refScratch);
                    backend.loss(kind, p.dut, t.dut, rows, cols, delta, grad.dut, lossOut.dut, 1, dutScratch);
                }
                String shape = kind + " " + rows + "x" + cols;
                grad.check("loss gradient", shape, 1e-5, 1e-3);
                lossOut.check("loss value", shape, 1e-5, 1e-4);
            }
        });
    }

    @Test
    void optimizerUpdates() {
        forEachTrial("optimizers", () -> {
            int n = size(100_000);
            String shape = "n=" + n;
            Pair w = pair(n, -1, 1);
            Pair g = pair(n, -1, 1);
            Pair v = pair(n, -0.1f, 0.1f);
            Pair m = pair(n, -0.1f, 0.1f);
            Pair s = pair(n, 0, 0.01f);
            float lr = 1e-4f + random.nextFloat() * 0.05f;
            try (Scratch refScratch = new Scratch(reference); Scratch dutScratch = new Scratch(backend)) {
                float momentum = random.nextBoolean() ? 0f : 0.9f;
                boolean nesterov = random.nextBoolean();
                FusedOps.sgdUpdate(reference, w.ref, g.ref, v.ref, n, lr, momentum, nesterov, refScratch);
                backend.sgdUpdate(w.dut, g.dut, v.dut, n, lr, momentum, nesterov, dutScratch);
                w.check("sgd", shape + " momentum=" + momentum + " nesterov=" + nesterov);
                float decay = random.nextBoolean() ? 0f : 0.004f;
                FusedOps.adamUpdate(reference, w.ref, g.ref, m.ref, s.ref, n, lr, lr * 0.3f, 0.9f, 0.999f, 1e-7f, decay, refScratch);
                backend.adamUpdate(w.dut, g.dut, m.dut, s.dut, n, lr, lr * 0.3f, 0.9f, 0.999f, 1e-7f, decay, dutScratch);
                w.check("adam w", shape + " decay=" + decay);
                m.check("adam m", shape);
                s.check("adam v", shape);
                FusedOps.rmspropUpdate(reference, w.ref, g.ref, s.ref, n, lr, 0.9f, 1e-7f, refScratch);
                backend.rmspropUpdate(w.dut, g.dut, s.dut, n, lr, 0.9f, 1e-7f, dutScratch);
                w.check("rmsprop w", shape);
                FusedOps.adagradUpdate(reference, w.ref, g.ref, s.ref, n, lr, 1e-7f, refScratch);
                backend.adagradUpdate(w.dut, g.dut, s.dut, n, lr, 1e-7f, dutScratch);
                w.check("adagrad w", shape);
                s.check("adagrad accumulator", shape);
            }
        });
    }
}
