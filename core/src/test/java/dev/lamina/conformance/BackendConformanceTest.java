package dev.lamina.conformance;

import static dev.lamina.conformance.Tolerance.assertClose;
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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every SPI op of a backend against the reference backend, over odd and edge shapes: 1x1, 1xN,
 * Nx1, primes, sizes off every tile or vector width, both transposes, alpha and beta other than 1
 * and 0. Each backend module subclasses this and supplies its backend; a subclass may skip the
 * whole suite in {@link #backend()} with a JUnit assumption (no GPU, say).
 */
public abstract class BackendConformanceTest {

    /** The backend under test. Called before each test. */
    protected abstract Backend backend();

    /** Absolute tolerance for element-wise results; GEMM scales it with k. */
    protected double atol() {
        return 1e-5;
    }

    protected double rtol() {
        return 1e-4;
    }

    protected final Backend reference = new ReferenceBackend();
    private final List<Runnable> cleanup = new ArrayList<>();
    protected Backend backend;
    private Random random;

    @BeforeEach
    void setUp() {
        backend = backend();
        random = new Random(12345);
    }

    @AfterEach
    void tearDown() {
        cleanup.forEach(Runnable::run);
        cleanup.clear();
    }

    /** Shapes (m, n, k) every matrix op is tried on. */
    static Stream<int[]> shapes() {
        return Stream.of(new int[] {1, 1, 1}, new int[] {1, 9, 1}, new int[] {9, 1, 1}, new int[] {1, 1, 9},
                new int[] {1, 31, 17}, new int[] {31, 1, 17}, new int[] {7, 13, 17}, new int[] {16, 16, 16},
                new int[] {33, 65, 129}, new int[] {129, 33, 65}, new int[] {64, 48, 200}, new int[] {130, 257, 3});
    }

    static Stream<Arguments> matrixShapes() {
        return shapes().map(s -> Arguments.of(s[0], s[1]));
    }

    static Stream<Arguments> gemmCases() {
        List<Arguments> cases = new ArrayList<>();
        float[][] alphaBeta = {{1f, 0f}, {0.5f, 1f}, {-1.5f, 0.25f}};
        shapes().forEach(s -> {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float[] ab : alphaBeta) {
                        cases.add(Arguments.of(s[0], s[1], s[2], ta, tb, ab[0], ab[1]));
                    }
                }
            }
        });
        return cases.stream();
    }

    // ------------------------------------------------------------ helpers

    protected float[] randoms(int n, float lo, float hi) {
        return RandomInputs.uniform(n, lo, hi, random);
    }

    /** The same values on both backends. */
    protected final class Pair extends StoragePair {
        Pair(float[] values) {
            super(reference, backend, values, cleanup);
        }

        void assertClose(String what) {
            Tolerance.assertClose(what + " on " + backend.name(), refValues(), dutValues(), n, atol(), rtol());
        }

        void assertClose(String what, double atol, double rtol) {
            Tolerance.assertClose(what + " on " + backend.name(), refValues(), dutValues(), n, atol, rtol);
        }
    }

    protected Pair pair(float[] values) {
        return new Pair(values);
    }

    protected Pair pair(int n, float lo, float hi) {
        return new Pair(randoms(n, lo, hi));
    }

    protected Pair filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return new Pair(v);
    }

    // ------------------------------------------------------------ storage

    @Test
    void allocateIsZeroedAndRoundTrips() {
        Storage s = backend.allocate(37);
        float[] out = randoms(37, -1, 1);
        backend.download(s, 0, out, 0, 37);
        assertArrayEquals(new float[37], out, "fresh storage must be zero");
        float[] in = randoms(37, -1, 1);
        backend.upload(in, 3, s, 5, 20);
        float[] back = new float[20];
        backend.download(s, 5, back, 0, 20);
        assertArrayEquals(java.util.Arrays.copyOfRange(in, 3, 23), back);
        backend.release(s);
    }

    @Test
    void copyAndFillWithOffsets() {
        Pair a = pair(50, -1, 1);
        Pair b = pair(50, -1, 1);
        reference.copy(a.ref, 7, b.ref, 11, 23);
        backend.copy(a.dut, 7, b.dut, 11, 23);
        reference.fill(a.ref, 40, 9, 2.5f);
        backend.fill(a.dut, 40, 9, 2.5f);
        a.assertClose("fill", 0, 0);
        b.assertClose("copy", 0, 0);
    }

    @Test
    void gatherRows() {
        int rows = 13;
        int cols = 7;
        Pair src = pair(rows * cols, -1, 1);
        int[] order = {12, 0, 5, 5, 3, 1, 11, 2, 9};
        IndexStorage refIdx = reference.allocateIndices(order.length);
        IndexStorage dutIdx = backend.allocateIndices(order.length);
        reference.uploadIndices(order, 0, refIdx, 0, order.length);
        backend.uploadIndices(order, 0, dutIdx, 0, order.length);
        Pair dst = pair(6 * cols, 0, 0);
        reference.gatherRows(src.ref, cols, refIdx, 2, 6, dst.ref);
        backend.gatherRows(src.dut, cols, dutIdx, 2, 6, dst.dut);
        dst.assertClose("gatherRows", 0, 0);
        backend.release(dutIdx);
    }

    // ------------------------------------------------------------ matrix ops

    @ParameterizedTest(name = "gemm m={0} n={1} k={2} transA={3} transB={4} alpha={5} beta={6}")
    @MethodSource("gemmCases")
    void gemm(int m, int n, int k, boolean ta, boolean tb, float alpha, float beta) {
        Pair a = pair(m * k, -1, 1);
        Pair b = pair(k * n, -1, 1);
        Pair c = pair(m * n, -1, 1);
        if (beta == 0f) { // beta 0 must not read C: poison it
            float[] nan = new float[m * n];
            java.util.Arrays.fill(nan, Float.NaN);
            backend.upload(nan, 0, c.dut, 0, m * n);
        }
        reference.gemm(ta, tb, m, n, k, alpha, a.ref, b.ref, beta, c.ref);
        backend.gemm(ta, tb, m, n, k, alpha, a.dut, b.dut, beta, c.dut);
        c.assertClose("gemm", atol() * 4 * Math.sqrt(k), rtol() * 4);
    }

    @ParameterizedTest(name = "matrix ops {0}x{1}")
    @MethodSource("matrixShapes")
    void rowAndColumnOps(int rows, int cols) {
        Pair x = pair(rows * cols, -2, 2);
        Pair v = pair(cols, -1, 1);
        Pair y = pair(rows * cols, 0, 0);
        reference.biasAdd(x.ref, v.ref, rows, cols, y.ref);
        backend.biasAdd(x.dut, v.dut, rows, cols, y.dut);
        y.assertClose("biasAdd");
        reference.columnScale(x.ref, v.ref, rows, cols, y.ref);
        backend.columnScale(x.dut, v.dut, rows, cols, y.dut);
        y.assertClose("columnScale");
        Pair db = pair(cols, 5, 5);
        reference.biasGradient(x.ref, rows, cols, db.ref);
        backend.biasGradient(x.dut, rows, cols, db.dut);
        db.assertClose("biasGradient", atol() * rows, rtol());
        Pair rs = pair(rows, 5, 5);
        reference.rowSums(x.ref, rows, cols, rs.ref);
        backend.rowSums(x.dut, rows, cols, rs.dut);
        rs.assertClose("rowSums", atol() * cols, rtol());
        reference.logSumExpRows(x.ref, rows, cols, rs.ref);
        backend.logSumExpRows(x.dut, rows, cols, rs.dut);
        rs.assertClose("logSumExpRows");
        reference.argmaxRows(x.ref, rows, cols, rs.ref);
        backend.argmaxRows(x.dut, rows, cols, rs.dut);
        rs.assertClose("argmaxRows", 0, 0);
        // in place
        reference.biasAdd(x.ref, v.ref, rows, cols, x.ref);
        backend.biasAdd(x.dut, v.dut, rows, cols, x.dut);
        x.assertClose("biasAdd in place");
    }

    @Test
    void argmaxTakesFirstOfTies() {
        Pair x = pair(new float[] {1, 3, 3, 0, 2, 2, 2, 2});
        Pair out = pair(2, 0, 0);
        backend.argmaxRows(x.dut, 2, 4, out.dut);
        assertArrayEquals(new float[] {1, 0}, out.dutValues());
    }

    @Test
    void oneHot() {
        Pair labels = pair(new float[] {0, 4, 2, 7, -1, 3});
        Pair out = pair(6 * 5, 9, 9);
        reference.oneHot(labels.ref, 6, 5, out.ref);
        backend.oneHot(labels.dut, 6, 5, out.dut);
        out.assertClose("oneHot", 0, 0);
    }

    // ------------------------------------------------------------ activations

    @ParameterizedTest(name = "activation {0}")
    @EnumSource(ActivationKind.class)
    void activations(ActivationKind kind) {
        for (int[] s : new int[][] {{1, 1}, {1, 33}, {17, 1}, {7, 13}, {33, 65}, {3, 1000}}) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            float[] values = randoms(n, -6, 6);
            values[0] = 0f; // the kink of relu-like functions
            Pair x = pair(values);
            Pair y = pair(n, 0, 0);
            reference.activationForward(kind, x.ref, y.ref, rows, cols);
            backend.activationForward(kind, x.dut, y.dut, rows, cols);
            y.assertClose(kind + " forward " + rows + "x" + cols);
            Pair dy = pair(n, -1, 1);
            Pair dx = pair(n, 0, 0);
            reference.activationBackward(kind, x.ref, y.ref, dy.ref, dx.ref, rows, cols);
            backend.activationBackward(kind, x.dut, y.dut, dy.dut, dx.dut, rows, cols);
            dx.assertClose(kind + " backward " + rows + "x" + cols);
            // dx in place of dy
            reference.activationBackward(kind, x.ref, y.ref, dy.ref, dy.ref, rows, cols);
            backend.activationBackward(kind, x.dut, y.dut, dy.dut, dy.dut, rows, cols);
            dy.assertClose(kind + " backward in place");
        }
    }

    @Test
    void activationsOfExtremeInputs() {
        float[] values = {-1000f, -90f, -20f, 20f, 90f, 1000f};
        for (ActivationKind kind : ActivationKind.values()) {
            Pair x = pair(values);
            Pair y = pair(values.length, 0, 0);
            reference.activationForward(kind, x.ref, y.ref, 1, values.length);
            backend.activationForward(kind, x.dut, y.dut, 1, values.length);
            y.assertClose(kind + " forward of extreme inputs");
        }
    }

    // ------------------------------------------------------------ element-wise and reductions

    @ParameterizedTest(name = "unary {0}")
    @EnumSource(UnaryOp.class)
    void unaryOps(UnaryOp op) {
        for (int n : new int[] {1, 7, 16, 33, 1031}) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
            Pair x = pair(n, positive ? 0.01f : -3f, 3f);
            Pair y = pair(n, 0, 0);
            reference.unary(op, x.ref, y.ref, n);
            backend.unary(op, x.dut, y.dut, n);
            y.assertClose(op + " n=" + n);
        }
    }

    @ParameterizedTest(name = "binary {0}")
    @EnumSource(BinaryOp.class)
    void binaryOps(BinaryOp op) {
        for (int n : new int[] {1, 7, 16, 33, 1031}) {
            float[] av = randoms(n, -3, 3);
            float[] bv = randoms(n, 0.5f, 3);
            for (int i = 0; i < n; i += 3) {
                bv[i] = av[i]; // exercise EQUAL and ties of MAX/MIN/GREATER
            }
            Pair a = pair(av);
            Pair b = pair(bv);
            Pair out = pair(n, 0, 0);
            reference.binary(op, a.ref, b.ref, out.ref, n);
            backend.binary(op, a.dut, b.dut, out.dut, n);
            out.assertClose(op + " n=" + n);
        }
    }

    @Test
    void affineAxpbyClamp() {
        for (int n : new int[] {1, 15, 17, 1000}) {
            Pair x = pair(n, -2, 2);
            Pair y = pair(n, -2, 2);
            reference.affine(x.ref, 1.5f, -0.25f, y.ref, n);
            backend.affine(x.dut, 1.5f, -0.25f, y.dut, n);
            y.assertClose("affine");
            reference.axpby(-0.75f, x.ref, 0.5f, y.ref, n);
            backend.axpby(-0.75f, x.dut, 0.5f, y.dut, n);
            y.assertClose("axpby");
            float[] nan = new float[n];
            java.util.Arrays.fill(nan, Float.NaN);
            reference.upload(nan, 0, y.ref, 0, n);
            backend.upload(nan, 0, y.dut, 0, n);
            reference.axpby(2f, x.ref, 0f, y.ref, n);
            backend.axpby(2f, x.dut, 0f, y.dut, n);
            y.assertClose("axpby with beta 0 ignores y");
            reference.clamp(x.ref, -0.5f, 1f, y.ref, n);
            backend.clamp(x.dut, -0.5f, 1f, y.dut, n);
            y.assertClose("clamp", 0, 0);
        }
    }

    @Test
    void sumsStayOnDevice() {
        for (int n : new int[] {1, 7, 256, 1000, 100_003}) {
            Pair x = pair(n, -1, 1);
            Pair out = pair(4, 0.5f, 0.5f);
            reference.sum(x.ref, n, 0.5f, out.ref, 2, false);
            backend.sum(x.dut, n, 0.5f, out.dut, 2, false);
            reference.sum(x.ref, n, -2f, out.ref, 3, true);
            backend.sum(x.dut, n, -2f, out.dut, 3, true);
            out.assertClose("sum n=" + n, 1e-5 * Math.sqrt(n), 1e-4);
        }
    }

    @Test
    void clipByNorm() {
        Pair big = pair(1000, -1, 1);
        reference.clipByNorm(big.ref, 1000, 2f);
        backend.clipByNorm(big.dut, 1000, 2f);
        big.assertClose("clipByNorm scales down");
        Pair small = pair(10, -0.01f, 0.01f);
        reference.clipByNorm(small.ref, 10, 2f);
        backend.clipByNorm(small.dut, 10, 2f);
        small.assertClose("clipByNorm leaves small vectors", 0, 0);
    }

    @Test
    void dropoutMaskMatchesPhiloxExactly() {
        for (float rate : new float[] {0f, 0.1f, 0.5f, 0.9f}) {
            Pair mask = pair(1037, 0, 0);
            reference.dropoutMask(42L, 1_000_000_007L, rate, mask.ref, 1037);
            backend.dropoutMask(42L, 1_000_000_007L, rate, mask.dut, 1037);
            mask.assertClose("dropout mask rate " + rate, 0, 0);
        }
    }

    // ------------------------------------------------------------ fused ops against FusedOps on the reference

    @ParameterizedTest(name = "dense {0}")
    @EnumSource(ActivationKind.class)
    void denseForwardAndBackward(ActivationKind act) {
        for (int[] s : new int[][] {{1, 1, 1}, {7, 13, 17}, {33, 65, 10}, {32, 8, 4}}) {
            int rows = s[0];
            int in = s[1];
            int out = s[2];
            Pair x = pair(rows * in, -1, 1);
            Pair w = pair(in * out, -0.5f, 0.5f);
            Pair b = pair(out, -0.5f, 0.5f);
            Pair z = pair(rows * out, 0, 0);
            Pair y = pair(rows * out, 0, 0);
            FusedOps.denseForward(reference, x.ref, w.ref, b.ref, act, rows, in, out, z.ref, y.ref);
            backend.denseForward(x.dut, w.dut, b.dut, act, rows, in, out, z.dut, y.dut);
            double tol = atol() * 4 * Math.sqrt(in);
            y.assertClose("denseForward " + act, tol, rtol() * 4);
            Pair dy = pair(rows * out, -1, 1);
            Pair dz = pair(rows * out, 0, 0);
            Pair dw = pair(in * out, 0, 0);
            Pair db = pair(out, 0, 0);
            Pair dx = pair(rows * in, 0, 0);
            // both sides start from the reference's forward values, so only backward is compared
            backend.upload(z.refValues(), 0, z.dut, 0, z.n);
            backend.upload(y.refValues(), 0, y.dut, 0, y.n);
            FusedOps.denseBackward(reference, x.ref, w.ref, act, z.ref, y.ref, dy.ref, rows, in, out,
                    dz.ref, dw.ref, db.ref, dx.ref);
            backend.denseBackward(x.dut, w.dut, act, z.dut, y.dut, dy.dut, rows, in, out,
                    dz.dut, dw.dut, db.dut, dx.dut);
            dw.assertClose("denseBackward dW " + act, atol() * 4 * Math.sqrt(rows), rtol() * 4);
            db.assertClose("denseBackward db " + act, atol() * 4 * rows, rtol() * 4);
            dx.assertClose("denseBackward dx " + act, atol() * 4 * Math.sqrt(out), rtol() * 4);
        }
    }

    @ParameterizedTest(name = "loss {0}")
    @EnumSource(LossKind.class)
    void losses(LossKind kind) {
        for (int[] s : new int[][] {{1, 1}, {1, 10}, {7, 1}, {32, 10}, {33, 3}}) {
            int rows = s[0];
            int cols = s[1];
            int n = rows * cols;
            float[] predValues = RandomInputs.lossPredictions(kind, n, random);
            float[] targetValues = RandomInputs.lossTargets(kind, rows, cols, random);
            Pair pred = pair(predValues);
            Pair target = pair(targetValues);
            Pair grad = pair(n, 0, 0);
            Pair lossOut = pair(3, 7, 7);
            try (Scratch refScratch = new Scratch(reference); Scratch dutScratch = new Scratch(backend)) {
                FusedOps.loss(reference, kind, pred.ref, target.ref, rows, cols, 1.0f, grad.ref, lossOut.ref, 1, refScratch);
                backend.loss(kind, pred.dut, target.dut, rows, cols, 1.0f, grad.dut, lossOut.dut, 1, dutScratch);
            }
            grad.assertClose(kind + " gradient " + rows + "x" + cols, 1e-5, 1e-3);
            lossOut.assertClose(kind + " loss " + rows + "x" + cols, 1e-5, 1e-4);
        }
    }

    @Test
    void optimizerUpdates() {
        int n = 1031;
        for (int step = 0; step < 3; step++) {
            Pair w = pair(n, -1, 1);
            Pair g = pair(n, -1, 1);
            Pair v = pair(n, -0.1f, 0.1f);
            Pair m = pair(n, -0.1f, 0.1f);
            Pair s = pair(n, 0, 0.01f);
            try (Scratch refScratch = new Scratch(reference); Scratch dutScratch = new Scratch(backend)) {
                boolean nesterov = step == 2;
                float momentum = step == 0 ? 0f : 0.9f;
                FusedOps.sgdUpdate(reference, w.ref, g.ref, v.ref, n, 0.01f, momentum, nesterov, refScratch);
                backend.sgdUpdate(w.dut, g.dut, v.dut, n, 0.01f, momentum, nesterov, dutScratch);
                w.assertClose("sgd momentum " + momentum + " nesterov " + nesterov);
                v.assertClose("sgd velocity");
                float decay = step == 1 ? 0.004f : 0f;
                FusedOps.adamUpdate(reference, w.ref, g.ref, m.ref, s.ref, n, 0.001f, 0.0003f, 0.9f, 0.999f, 1e-7f, decay, refScratch);
                backend.adamUpdate(w.dut, g.dut, m.dut, s.dut, n, 0.001f, 0.0003f, 0.9f, 0.999f, 1e-7f, decay, dutScratch);
                w.assertClose("adam weights, weight decay " + decay);
                m.assertClose("adam m");
                s.assertClose("adam v");
                FusedOps.rmspropUpdate(reference, w.ref, g.ref, s.ref, n, 0.001f, 0.9f, 1e-7f, refScratch);
                backend.rmspropUpdate(w.dut, g.dut, s.dut, n, 0.001f, 0.9f, 1e-7f, dutScratch);
                w.assertClose("rmsprop weights");
                s.assertClose("rmsprop velocity");
                FusedOps.adagradUpdate(reference, w.ref, g.ref, s.ref, n, 0.001f, 1e-7f, refScratch);
                backend.adagradUpdate(w.dut, g.dut, s.dut, n, 0.001f, 1e-7f, dutScratch);
                w.assertClose("adagrad weights");
                s.assertClose("adagrad accumulator");
            }
        }
    }
}
