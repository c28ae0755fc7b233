package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CUDA-specific risks, each op against the reference backend: both GEMM paths and both tile
 * kernels with every transpose and alpha/beta, the chunked pinned transfers, offsets, the
 * two-pass reductions, row kernels wider than a block, Philox's high counter word, and the fused
 * overrides against {@link FusedOps}. The op-by-op coverage of the SPI is core's conformance suite.
 */
@DisplayNameGeneration(CudaModeDisplayNames.class)
class CudaOpsTest {
    private static CudaBackend kernelGemm;
    /** The own GEMM on a pretend 132-SM GPU (an H100's count): small outputs take the split-k kernel. */
    private static CudaBackend splitKGemm;

    private final Random random = new Random(42);
    private CudaBackend cuda;
    private Compare cmp;

    @BeforeEach
    void setUp() {
        cuda = CudaTestSupport.backend();
        cmp = new Compare(new ReferenceBackend(), cuda);
    }

    @AfterAll
    static void closeKernelGemm() {
        if (kernelGemm != null) {
            kernelGemm.close();
            kernelGemm = null;
        }
        if (splitKGemm != null) {
            splitKGemm.close();
            splitKGemm = null;
        }
    }

    private static synchronized CudaBackend splitKGemmBackend() {
        if (splitKGemm == null) {
            splitKGemm = CudaTestSupport.kernelGemmBackend(132);
        }
        return splitKGemm;
    }

    private static synchronized CudaBackend kernelGemmBackend() {
        if (kernelGemm == null) {
            kernelGemm = CudaTestSupport.kernelGemmBackend();
        }
        return kernelGemm;
    }

    private static final int[][] GEMM_SHAPES = {
        {1, 1, 1}, {2, 3, 4}, {7, 13, 5}, {31, 17, 29}, {64, 64, 64}, {130, 67, 129}, {257, 129, 3}, {3, 300, 70},
        // k >= 512 and few output tiles: split-k on a GPU with many SMs (k not a multiple of 8 too)
        {33, 70, 523}, {1, 5, 1030}, {64, 128, 512},
    };

    @Test
    void splitKIsChosenForFewTilesAndLongK() {
        KernelGemm g = new KernelGemm(null, null, 132, null, "test");
        assertEquals(16, g.splits(128, 256, 784 * 4), "8 tiles on 132 SMs: up to 16 splits");
        assertEquals(6, g.splits(128, 256, 784), "k/128 caps the splits");
        assertEquals(1, g.splits(128, 256, 511), "short k: no split");
        assertEquals(1, g.splits(1024, 1024, 4096), "enough tiles: no split");
        assertEquals(1, new KernelGemm(null, null, 2, null, "test").splits(33, 70, 523), "few SMs: no split");
    }

    @ParameterizedTest(name = "{0} GEMM")
    @ValueSource(strings = {"default", "kernel", "kernel-splitk"})
    void gemmAllTransposesAndScalars(String path) {
        Backend backend = path.equals("kernel") ? kernelGemmBackend() : path.equals("kernel-splitk") ? splitKGemmBackend() : cuda;
        Compare c = new Compare(new ReferenceBackend(), backend);
        float[][] scalars = {{1f, 0f}, {0.5f, -1.5f}};
        for (int[] shape : GEMM_SHAPES) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (int t = 0; t < 4; t++) {
                boolean transA = (t & 1) != 0;
                boolean transB = (t & 2) != 0;
                for (float[] s : scalars) {
                    Compare.Pair a = c.of(Compare.random(random, m * k, -1, 1));
                    Compare.Pair b = c.of(Compare.random(random, k * n, -1, 1));
                    // beta 0 must not read C: NaN there must not come out
                    Compare.Pair out = s[1] == 0f ? c.filled(m * n, Float.NaN) : c.of(Compare.random(random, m * n, -1, 1));
                    c.ref.gemm(transA, transB, m, n, k, s[0], a.r(), b.r(), s[1], out.r());
                    backend.gemm(transA, transB, m, n, k, s[0], a.c(), b.c(), s[1], out.c());
                    c.assertClose(path + " gemm m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB
                            + " alpha=" + s[0] + " beta=" + s[1], out, 2e-6 * k + 1e-6, 1e-5);
                    c.release(a, b, out);
                }
            }
        }
    }

    @Test
    void worksFromAnotherThread() throws Exception {
        // a context is current per thread: the backend must make it current on a new thread
        float[] result = new float[3];
        Thread t = new Thread(() -> {
            Storage s = cuda.allocate(3);
            cuda.upload(new float[] {1, -2, 3}, 0, s, 0, 3);
            cuda.unary(UnaryOp.SQUARE, s, s, 3);
            cuda.download(s, 0, result, 0, 3);
            cuda.release(s);
        });
        Throwable[] failure = new Throwable[1];
        t.setUncaughtExceptionHandler((thread, e) -> failure[0] = e);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("CUDA from a second thread failed", failure[0]);
        }
        assertArrayEquals(new float[] {1, 4, 9}, result);
    }

    @Test
    void tf32CanBeSwitchedOnForCublas() {
        assumeTrue(cuda.gemmPathInUse().equals("cublas"), "TF32 is a cuBLAS option; this run uses the own SGEMM kernel");
        String old = System.getProperty(CudaBackend.TF32_PROPERTY);
        System.setProperty(CudaBackend.TF32_PROPERTY, "true");
        CudaBackend tf32;
        try {
            tf32 = CudaTestSupport.freshBackend();
        } finally {
            if (old == null) {
                System.clearProperty(CudaBackend.TF32_PROPERTY);
            } else {
                System.setProperty(CudaBackend.TF32_PROPERTY, old);
            }
        }
        try {
            assertTrue(tf32.description().contains("TF32 tensor cores on"), tf32.description());
            assertTrue(cuda.description().contains("TF32 tensor cores off"), cuda.description());
            // TF32 keeps about 10 mantissa bits of each product: compare loosely
            Compare c = new Compare(new ReferenceBackend(), tf32);
            Compare.Pair a = c.of(Compare.random(random, 64 * 48, -1, 1));
            Compare.Pair b = c.of(Compare.random(random, 48 * 32, -1, 1));
            Compare.Pair out = c.zeros(64 * 32);
            c.ref.gemm(false, false, 64, 32, 48, 1f, a.r(), b.r(), 0f, out.r());
            tf32.gemm(false, false, 64, 32, 48, 1f, a.c(), b.c(), 0f, out.c());
            c.assertClose("TF32 gemm", out, 0.05, 0.01);
        } finally {
            tf32.close();
        }
    }

    @Test
    void gemmWithEmptyInnerDimensionScalesC() {
        Compare.Pair a = cmp.zeros(1);
        Compare.Pair b = cmp.zeros(1);
        Compare.Pair out = cmp.of(new float[] {1, 2, 3, 4, 5, 6});
        cmp.ref.gemm(false, false, 2, 3, 0, 1f, a.r(), b.r(), 2f, out.r());
        cuda.gemm(false, false, 2, 3, 0, 1f, a.c(), b.c(), 2f, out.c());
        cmp.assertSame("k=0, beta=2", out);
        Compare.Pair nan = cmp.filled(6, Float.NaN);
        cmp.ref.gemm(true, true, 2, 3, 0, 1f, a.r(), b.r(), 0f, nan.r());
        cuda.gemm(true, true, 2, 3, 0, 1f, a.c(), b.c(), 0f, nan.c());
        cmp.assertSame("k=0, beta=0", nan);
        cmp.release(a, b, out, nan);
    }

    @Test
    void transfersWithOffsetsAndChunks() {
        int n = 2_500_000; // more than two 4 MiB staging chunks
        float[] values = Compare.random(random, n, -5, 5);
        Storage s = cuda.allocate(n + 10);
        cuda.upload(values, 3, s, 7, n - 3);
        float[] back = new float[n + 10];
        cuda.download(s, 0, back, 0, n + 10);
        for (int i = 0; i < 7; i++) {
            assertEquals(0f, back[i], "allocate gives zeros");
        }
        for (int i = 0; i < n - 3; i++) {
            if (back[7 + i] != values[3 + i]) {
                assertEquals(values[3 + i], back[7 + i], "float " + i);
            }
        }
        float[] part = new float[5];
        cuda.download(s, 9, part, 1, 4);
        assertArrayEquals(new float[] {0, values[5], values[6], values[7], values[8]}, part);

        Storage t = cuda.allocate(20);
        cuda.copy(s, 7, t, 2, 10);
        cuda.fill(t, 12, 3, -0f);
        cuda.fill(t, 15, 5, 2.5f);
        float[] tt = new float[20];
        cuda.download(t, 0, tt, 0, 20);
        for (int i = 0; i < 10; i++) {
            assertEquals(values[3 + i], tt[2 + i]);
        }
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(tt[13]));
        assertEquals(2.5f, tt[19]);
        assertEquals(0f, tt[0]);
        cuda.release(s);
        cuda.release(t);
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void activations(ActivationKind kind) {
        for (int[] shape : new int[][] {{3, 5}, {4, 300}, {1, 1}}) {
            int rows = shape[0];
            int cols = shape[1];
            int n = rows * cols;
            Compare.Pair x = cmp.of(Compare.random(random, n, -4, 4));
            Compare.Pair y = cmp.zeros(n);
            Compare.Pair dy = cmp.of(Compare.random(random, n, -1, 1));
            Compare.Pair dx = cmp.zeros(n);
            cmp.ref.activationForward(kind, x.r(), y.r(), rows, cols);
            cuda.activationForward(kind, x.c(), y.c(), rows, cols);
            cmp.assertClose(kind + " forward " + rows + "x" + cols, y, 1e-6, 1e-5);
            // backward from the same y on both sides, so only the backward kernel is compared
            float[] yr = cmp.down(cmp.ref, y.r(), n);
            cuda.upload(yr, 0, y.c(), 0, n);
            cmp.ref.activationBackward(kind, x.r(), y.r(), dy.r(), dx.r(), rows, cols);
            cuda.activationBackward(kind, x.c(), y.c(), dy.c(), dx.c(), rows, cols);
            cmp.assertClose(kind + " backward " + rows + "x" + cols, dx, 1e-6, 1e-5);
            cmp.release(x, y, dy, dx);
        }
    }

    @Test
    void rowAndColumnKernels() {
        for (int[] shape : new int[][] {{1, 1}, {5, 3}, {1000, 37}, {3, 1000}, {70000, 2}}) {
            int rows = shape[0];
            int cols = shape[1];
            int n = rows * cols;
            String at = " " + rows + "x" + cols;
            Compare.Pair x = cmp.of(Compare.random(random, n, -3, 3));
            Compare.Pair bias = cmp.of(Compare.random(random, cols, -1, 1));
            Compare.Pair y = cmp.zeros(n);
            Compare.Pair perCol = cmp.zeros(cols);
            Compare.Pair perRow = cmp.zeros(rows);
            cmp.ref.biasAdd(x.r(), bias.r(), rows, cols, y.r());
            cuda.biasAdd(x.c(), bias.c(), rows, cols, y.c());
            cmp.assertSame("biasAdd" + at, y);
            cmp.ref.columnScale(x.r(), bias.r(), rows, cols, y.r());
            cuda.columnScale(x.c(), bias.c(), rows, cols, y.c());
            cmp.assertSame("columnScale" + at, y);
            cmp.ref.biasGradient(x.r(), rows, cols, perCol.r());
            cuda.biasGradient(x.c(), rows, cols, perCol.c());
            cmp.assertClose("biasGradient" + at, perCol, 1e-6 * rows + 1e-6, 1e-5);
            cmp.ref.rowSums(x.r(), rows, cols, perRow.r());
            cuda.rowSums(x.c(), rows, cols, perRow.c());
            cmp.assertClose("rowSums" + at, perRow, 1e-6 * cols + 1e-6, 1e-5);
            cmp.ref.logSumExpRows(x.r(), rows, cols, perRow.r());
            cuda.logSumExpRows(x.c(), rows, cols, perRow.c());
            cmp.assertClose("logSumExpRows" + at, perRow, 1e-5, 1e-5);
            cmp.ref.argmaxRows(x.r(), rows, cols, perRow.r());
            cuda.argmaxRows(x.c(), rows, cols, perRow.c());
            cmp.assertSame("argmaxRows" + at, perRow);
            cmp.release(x, bias, y, perCol, perRow);
        }
    }

    @Test
    void argmaxTakesTheFirstOfTiesAndOneHotSkipsBadLabels() {
        Compare.Pair x = cmp.of(new float[] {1, 3, 3, 0, 2, 2, 2, 2, -1, -1, -1, -1});
        Compare.Pair idx = cmp.zeros(3);
        cmp.ref.argmaxRows(x.r(), 3, 4, idx.r());
        cuda.argmaxRows(x.c(), 3, 4, idx.c());
        cmp.assertSame("argmax ties", idx);
        Compare.Pair labels = cmp.of(new float[] {2, -1, 4, 0, 1.5f});
        Compare.Pair hot = cmp.filled(20, 7f);
        cmp.ref.oneHot(labels.r(), 5, 4, hot.r());
        cuda.oneHot(labels.c(), 5, 4, hot.c());
        cmp.assertSame("oneHot", hot);
        cmp.release(x, idx, labels, hot);
    }

    @Test
    void elementWiseOps() {
        int n = 1001;
        float[] xa = Compare.random(random, n, -3, 3);
        xa[0] = 0f;
        xa[1] = -0f;
        xa[2] = Float.NaN;
        Compare.Pair x = cmp.of(xa);
        Compare.Pair z = cmp.of(Compare.random(random, n, -3, 3));
        Compare.Pair y = cmp.zeros(n);
        for (UnaryOp op : UnaryOp.values()) {
            cmp.ref.unary(op, x.r(), y.r(), n);
            cuda.unary(op, x.c(), y.c(), n);
            // CUDA's expf and logf are within 2 and 1 ulp (CUDA C++ Programming Guide, "Mathematical
            // Functions"); the reference rounds its double result once (0.5 ulp): 2.5 ulp < 4e-7 of |ref|.
            // The emulator's GPU-maths build (2 ulp off) passes; a 4-ulp-off expf would not.
            cmp.assertClose("unary " + op, y, 0, op == UnaryOp.EXP || op == UnaryOp.LOG ? 4e-7 : 0);
        }
        for (BinaryOp op : BinaryOp.values()) {
            cmp.ref.binary(op, x.r(), z.r(), y.r(), n);
            cuda.binary(op, x.c(), z.c(), y.c(), n);
            cmp.assertSame("binary " + op, y);
        }
        cmp.ref.affine(x.r(), 1.5f, -0.25f, y.r(), n);
        cuda.affine(x.c(), 1.5f, -0.25f, y.c(), n);
        cmp.assertSame("affine", y);
        cmp.ref.clamp(x.r(), -1f, 2f, y.r(), n);
        cuda.clamp(x.c(), -1f, 2f, y.c(), n);
        cmp.assertSame("clamp", y);
        cmp.ref.axpby(0.5f, z.r(), 2f, y.r(), n);
        cuda.axpby(0.5f, z.c(), 2f, y.c(), n);
        cmp.assertClose("axpby", y, 1e-7, 1e-7);
        Compare.Pair nan = cmp.filled(n, Float.NaN);
        cmp.ref.axpby(0.5f, z.r(), 0f, nan.r(), n);
        cuda.axpby(0.5f, z.c(), 0f, nan.c(), n);
        cmp.assertSame("axpby with beta 0 does not read y", nan);
        cmp.release(x, z, y, nan);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 257, 65536, 65537, 300_001})
    void sumsStayOnTheDevice(int n) {
        Compare.Pair x = cmp.of(Compare.random(random, Math.max(n, 1), -1, 1));
        Compare.Pair out = cmp.of(new float[] {9, 9, 9});
        cmp.ref.sum(x.r(), n, 0.5f, out.r(), 2, false);
        cuda.sum(x.c(), n, 0.5f, out.c(), 2, false);
        cmp.ref.sum(x.r(), n, -2f, out.r(), 0, true);
        cuda.sum(x.c(), n, -2f, out.c(), 0, true);
        cmp.assertClose("sum of " + n, out, 1e-6 * Math.sqrt(n + 1.0) + 1e-6, 1e-5);
        cmp.release(x, out);
    }

    @ParameterizedTest
    @ValueSource(floats = {0.5f, 1e6f})
    void clipByNorm(float maxNorm) {
        for (int n : new int[] {1, 1000, 100_003}) {
            Compare.Pair x = cmp.of(Compare.random(random, n, -1, 1));
            cmp.ref.clipByNorm(x.r(), n, maxNorm);
            cuda.clipByNorm(x.c(), n, maxNorm);
            cmp.assertClose("clipByNorm n=" + n + " max=" + maxNorm, x, 1e-7, 1e-5);
            cmp.release(x);
        }
    }

    @Test
    void gatherRowsWithAnIndexOffset() {
        int rows = 50;
        int cols = 7;
        Compare.Pair src = cmp.of(Compare.random(random, rows * cols, -1, 1));
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = (i * 17 + 3) % rows;
        }
        IndexStorage ri = cmp.ref.allocateIndices(rows);
        IndexStorage ci = cuda.allocateIndices(rows);
        cmp.ref.uploadIndices(order, 0, ri, 0, rows);
        cuda.uploadIndices(order, 0, ci, 0, rows);
        Compare.Pair dst = cmp.zeros(12 * cols);
        cmp.ref.gatherRows(src.r(), cols, ri, 30, 12, dst.r());
        cuda.gatherRows(src.c(), cols, ci, 30, 12, dst.c());
        cmp.assertSame("gatherRows", dst);
        cmp.release(src, dst);
        cmp.ref.release(ri);
        cuda.release(ci);
    }

    @Test
    void dropoutMasksAreBitIdentical() {
        int n = 10_007;
        for (long[] so : new long[][] {{1234L, 0L}, {-7L, (1L << 32) - 5000}, {0x1234_5678_9ABCL, 3L << 40}}) {
            for (float rate : new float[] {0.1f, 0.5f, 0.3f}) {
                Compare.Pair mask = cmp.zeros(n);
                cmp.ref.dropoutMask(so[0], so[1], rate, mask.r(), n);
                cuda.dropoutMask(so[0], so[1], rate, mask.c(), n);
                cmp.assertSame("dropout seed=" + so[0] + " offset=" + so[1] + " rate=" + rate, mask);
                cmp.release(mask);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void denseForwardOverrideMatchesFusedOps(ActivationKind kind) {
        int rows = 9;
        int in = 13;
        int out = 6;
        Compare.Pair x = cmp.of(Compare.random(random, rows * in, -1, 1));
        Compare.Pair w = cmp.of(Compare.random(random, in * out, -1, 1));
        Compare.Pair b = cmp.of(Compare.random(random, out, -1, 1));
        Compare.Pair z = cmp.filled(rows * out, Float.NaN);
        Compare.Pair y = cmp.filled(rows * out, Float.NaN);
        FusedOps.denseForward(cmp.ref, x.r(), w.r(), b.r(), kind, rows, in, out, z.r(), y.r());
        cuda.denseForward(x.c(), w.c(), b.c(), kind, rows, in, out, z.c(), y.c());
        cmp.assertClose("denseForward z " + kind, z, 1e-5, 1e-5);
        cmp.assertClose("denseForward y " + kind, y, 1e-5, 1e-5);
        // z and y the same storage: allowed for linear; the override must then fall back correctly
        FusedOps.denseForward(cmp.ref, x.r(), w.r(), b.r(), kind, rows, in, out, z.r(), z.r());
        cuda.denseForward(x.c(), w.c(), b.c(), kind, rows, in, out, z.c(), z.c());
        cmp.assertClose("denseForward z==y " + kind, z, 1e-5, 1e-5);
        cmp.release(x, w, b, z, y);
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void lossOverrideMatchesFusedOps(LossKind kind) {
        for (int[] shape : new int[][] {{1, 1}, {8, 5}, {300, 3}, {2, 700}}) {
            int rows = shape[0];
            int cols = shape[1];
            int n = rows * cols;
            float[] pred;
            float[] target;
            switch (kind) {
                case BINARY_CROSSENTROPY:
                case CATEGORICAL_CROSSENTROPY:
                case SPARSE_CATEGORICAL_CROSSENTROPY:
                    pred = Compare.random(random, n, 0f, 1f);
                    pred[0] = 0f; // clipped: the gradient is 0 there
                    break;
                default:
                    pred = Compare.random(random, n, -3f, 3f);
            }
            if (kind.sparse()) {
                target = new float[rows];
                for (int i = 0; i < rows; i++) {
                    target[i] = random.nextInt(cols);
                }
            } else if (kind == LossKind.CATEGORICAL_CROSSENTROPY || kind == LossKind.CATEGORICAL_CROSSENTROPY_FROM_LOGITS) {
                target = new float[n];
                for (int i = 0; i < rows; i++) {
                    target[i * cols + random.nextInt(cols)] = 1f;
                }
            } else {
                target = Compare.random(random, n, 0f, 1f);
            }
            Compare.Pair p = cmp.of(pred);
            Compare.Pair t = cmp.of(target);
            Compare.Pair grad = cmp.filled(n, Float.NaN);
            Compare.Pair loss = cmp.of(new float[] {5, 5, 5});
            try (Scratch rs = new Scratch(cmp.ref); Scratch cs = new Scratch(cuda)) {
                FusedOps.loss(cmp.ref, kind, p.r(), t.r(), rows, cols, 0.7f, grad.r(), loss.r(), 1, rs);
                cuda.loss(kind, p.c(), t.c(), rows, cols, 0.7f, grad.c(), loss.c(), 1, cs);
            }
            String at = kind + " " + rows + "x" + cols;
            cmp.assertClose("loss gradient " + at, grad, 1e-6, 1e-4);
            cmp.assertClose("loss value " + at, loss, 1e-6, 1e-5);
            cmp.release(p, t, grad, loss);
        }
    }

    @Test
    void optimizerOverridesMatchFusedOps() {
        int n = 1003;
        float[] w0 = Compare.random(random, n, -1, 1);
        float[] g0 = Compare.random(random, n, -1, 1);
        float[] v0 = Compare.random(random, n, -0.1f, 0.1f);
        float[] m0 = Compare.random(random, n, -0.1f, 0.1f);
        float[] s0 = Compare.random(random, n, 0f, 0.1f);
        try (Scratch rs = new Scratch(cmp.ref); Scratch cs = new Scratch(cuda)) {
            for (float momentum : new float[] {0f, 0.9f}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    Compare.Pair w = cmp.of(w0);
                    Compare.Pair g = cmp.of(g0);
                    Compare.Pair v = cmp.of(v0);
                    for (int step = 0; step < 3; step++) {
                        FusedOps.sgdUpdate(cmp.ref, w.r(), g.r(), momentum == 0f ? null : v.r(), n, 0.01f, momentum, nesterov, rs);
                        cuda.sgdUpdate(w.c(), g.c(), momentum == 0f ? null : v.c(), n, 0.01f, momentum, nesterov, cs);
                    }
                    cmp.assertClose("sgd w momentum=" + momentum + " nesterov=" + nesterov, w, 1e-6, 1e-5);
                    cmp.assertClose("sgd v momentum=" + momentum + " nesterov=" + nesterov, v, 1e-6, 1e-5);
                    cmp.release(w, g, v);
                }
            }
            for (boolean adagrad : new boolean[] {false, true}) {
                Compare.Pair w = cmp.of(w0);
                Compare.Pair g = cmp.of(g0);
                Compare.Pair s = cmp.of(s0);
                for (int step = 0; step < 3; step++) {
                    if (adagrad) {
                        FusedOps.adagradUpdate(cmp.ref, w.r(), g.r(), s.r(), n, 0.01f, 1e-7f, rs);
                        cuda.adagradUpdate(w.c(), g.c(), s.c(), n, 0.01f, 1e-7f, cs);
                    } else {
                        FusedOps.rmspropUpdate(cmp.ref, w.r(), g.r(), s.r(), n, 0.001f, 0.9f, 1e-7f, rs);
                        cuda.rmspropUpdate(w.c(), g.c(), s.c(), n, 0.001f, 0.9f, 1e-7f, cs);
                    }
                }
                String what = adagrad ? "adagrad" : "rmsprop";
                cmp.assertClose(what + " w", w, 1e-6, 1e-5);
                cmp.assertClose(what + " state", s, 1e-7, 1e-5);
                cmp.release(w, g, s);
            }
            for (float decay : new float[] {0f, 0.004f}) {
                Compare.Pair w = cmp.of(w0);
                Compare.Pair g = cmp.of(g0);
                Compare.Pair m = cmp.of(m0);
                Compare.Pair s = cmp.of(s0);
                for (int step = 1; step <= 3; step++) {
                    float lrT = (float) (0.001 * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step)));
                    FusedOps.adamUpdate(cmp.ref, w.r(), g.r(), m.r(), s.r(), n, 0.001f, lrT, 0.9f, 0.999f, 1e-7f, decay, rs);
                    cuda.adamUpdate(w.c(), g.c(), m.c(), s.c(), n, 0.001f, lrT, 0.9f, 0.999f, 1e-7f, decay, cs);
                }
                cmp.assertClose("adam w decay=" + decay, w, 1e-6, 1e-5);
                cmp.assertClose("adam m decay=" + decay, m, 1e-7, 1e-5);
                cmp.assertClose("adam v decay=" + decay, s, 1e-7, 1e-5);
                cmp.release(w, g, m, s);
            }
        }
    }
}
