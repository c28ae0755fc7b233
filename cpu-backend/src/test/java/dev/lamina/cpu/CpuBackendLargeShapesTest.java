package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.reference.ReferenceBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the shared conformance suite's small shapes do not reach: products deep enough for several
 * k blocks, wide enough for several column blocks, large enough to be split across threads, and
 * the fused Dense ops and optimizer updates on such sizes; on both code paths.
 */
class CpuBackendLargeShapesTest {
    private static final Backend REFERENCE = new ReferenceBackend();
    private static final CpuBackend VECTOR = new CpuBackend(true, 2);
    private static final CpuBackend SCALAR = new CpuBackend(false, 2);
    private static final CpuBackend VECTOR_ONE_THREAD = new CpuBackend(true, 1);
    /** The Vector API's own exp/tanh/... for the activations (-Dlamina.cpu.fastmath=true). */
    private static final CpuBackend VECTOR_FAST_MATH = fastMath();

    private static CpuBackend fastMath() {
        System.setProperty("lamina.cpu.fastmath", "true");
        try {
            return new CpuBackend(true, 2);
        } finally {
            System.clearProperty("lamina.cpu.fastmath");
        }
    }

    static Stream<CpuBackend> backends() {
        return Stream.of(VECTOR, SCALAR, VECTOR_ONE_THREAD, VECTOR_FAST_MATH);
    }

    static Stream<Arguments> products() {
        int[][] shapes = {
            {300, 200, 600},   // three k blocks, split by rows
            {7, 2100, 300},    // two column blocks (NC = 2048), split by columns
            {257, 129, 513},   // every edge: rows, columns and depth off the tile sizes
            {128, 512, 512},   // a Dense layer of the reference models
            {1, 1000, 700},    // one row: a matrix-vector product
            {1000, 1, 700},    // one column
        };
        List<Arguments> cases = new ArrayList<>();
        backends().forEach(b -> {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    cases.add(Arguments.of(b, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(autoCloseArguments = false, name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("products")
    void largeProductsMatchTheReference(CpuBackend backend, int m, int n, int k, boolean ta, boolean tb) {
        Random random = new Random(m * 31L + n * 7L + k);
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        float[] c = randoms(random, m * n);
        float[] expected = run(REFERENCE, ta, tb, m, n, k, 0.75f, a, b, -0.5f, c);
        float[] actual = run(backend, ta, tb, m, n, k, 0.75f, a, b, -0.5f, c);
        assertClose("gemm", expected, actual, 1e-5 * 4 * Math.sqrt(k), 4e-4);
    }

    /**
     * The common case, alpha 1 and beta 0 or 1, whose whole tiles go straight into C and whose A the
     * Vector kernel reads in place (untransposed A, columns a multiple of the tile width): row counts
     * off the tile height leave a last panel that is packed, and 2100 columns split across threads
     * give one band read in place and one packed.
     */
    static Stream<Arguments> directProducts() {
        int[][] shapes = {{128, 512, 512}, {131, 128, 300}, {100, 64, 700}, {7, 2100, 300}, {61, 256, 64}};
        List<Arguments> cases = new ArrayList<>();
        backends().forEach(b -> {
            for (int[] s : shapes) {
                for (int t = 0; t < 8; t++) {
                    cases.add(Arguments.of(b, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, (t & 4) != 0 ? 1f : 0f));
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(autoCloseArguments = false, name = "{0} m={1} n={2} k={3} transA={4} transB={5} beta={6}")
    @MethodSource("directProducts")
    void directProductsMatchTheReference(CpuBackend backend, int m, int n, int k, boolean ta, boolean tb, float beta) {
        Random random = new Random(m * 131L + n * 17L + k);
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        float[] c = randoms(random, m * n);
        float[] expected = run(REFERENCE, ta, tb, m, n, k, 1f, a, b, beta, c);
        float[] actual = run(backend, ta, tb, m, n, k, 1f, a, b, beta, c);
        assertClose("gemm", expected, actual, 1e-5 * 4 * Math.sqrt(k), 4e-4);
    }

    @Test
    void betaZeroDoesNotReadC() {
        int m = 70;
        int n = 90;
        int k = 300;
        Random random = new Random(3);
        float[] a = randoms(random, m * k);
        float[] b = randoms(random, k * n);
        float[] nans = new float[m * n];
        java.util.Arrays.fill(nans, Float.NaN);
        backends().forEach(backend -> {
            float[] out = run(backend, false, false, m, n, k, 1f, a, b, 0f, nans);
            for (float v : out) {
                assertFalse(Float.isNaN(v), backend + ": NaN from C leaked through beta = 0");
            }
        });
    }

    static Stream<Arguments> denseCases() {
        List<Arguments> cases = new ArrayList<>();
        backends().forEach(b -> {
            for (ActivationKind act : ActivationKind.values()) {
                cases.add(Arguments.of(b, act));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(autoCloseArguments = false, name = "{0} {1}")
    @MethodSource("denseCases")
    void denseLayerOfModelSizeMatchesTheDefaults(CpuBackend backend, ActivationKind act) {
        int rows = 130;
        int in = 300;
        int out = 70;
        Random random = new Random(act.ordinal());
        float[] x = randoms(random, rows * in);
        float[] w = randoms(random, in * out);
        float[] bias = randoms(random, out);
        float[] dy = randoms(random, rows * out);
        float[][] expected = dense(REFERENCE, act, x, w, bias, dy, rows, in, out);
        float[][] actual = dense(backend, act, x, w, bias, dy, rows, in, out);
        String[] names = {"z", "y", "dz", "dW", "db", "dx"};
        double[] atol = {1e-4 * Math.sqrt(in), 1e-4 * Math.sqrt(in), 1e-4 * Math.sqrt(in),
            1e-4 * Math.sqrt(rows) * 4, 1e-4 * rows, 1e-4 * Math.sqrt(out) * 4};
        for (int i = 0; i < names.length; i++) {
            assertClose("dense " + act + " " + names[i], expected[i], actual[i], atol[i], 1e-3);
        }
    }

    /** Runs denseForward then denseBackward; returns z, y, dz, dW, db, dx. */
    private static float[][] dense(Backend be, ActivationKind act, float[] x, float[] w, float[] bias, float[] dy,
                                   int rows, int in, int out) {
        Storage sx = upload(be, x);
        Storage sw = upload(be, w);
        Storage sb = upload(be, bias);
        Storage sdy = upload(be, dy);
        Storage z = be.allocate((long) rows * out);
        Storage y = be.allocate((long) rows * out);
        Storage dz = be.allocate((long) rows * out);
        Storage dw = be.allocate((long) in * out);
        Storage db = be.allocate(out);
        Storage dx = be.allocate((long) rows * in);
        be.denseForward(sx, sw, sb, act, rows, in, out, z, y);
        be.denseBackward(sx, sw, act, z, y, sdy, rows, in, out, dz, dw, db, dx);
        return new float[][] {download(be, z), download(be, y), download(be, dz), download(be, dw),
            download(be, db), download(be, dx)};
    }

    @Test
    void largeOptimizerUpdatesMatchTheDefaultsOnEveryPath() {
        int n = 300_001; // above the parallel threshold, and not a multiple of any vector width
        Random random = new Random(11);
        float[] w = randoms(random, n);
        float[] g = randoms(random, n);
        float[] m = randoms(random, n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(random.nextFloat());
        }
        float[][] expected = adamAndSgd(REFERENCE, w, g, m, v);
        backends().forEach(backend -> {
            float[][] actual = adamAndSgd(backend, w, g, m, v);
            for (int i = 0; i < expected.length; i++) {
                assertClose(backend + " optimizer state " + i, expected[i], actual[i], 1e-6, 1e-5);
            }
        });
    }

    private static float[][] adamAndSgd(Backend be, float[] w, float[] g, float[] m, float[] v) {
        int n = w.length;
        Storage sw = upload(be, w);
        Storage sg = upload(be, g);
        Storage sm = upload(be, m);
        Storage sv = upload(be, v);
        Storage sw2 = upload(be, w);
        Storage velocity = upload(be, m);
        try (Scratch scratch = new Scratch(be)) {
            be.adamUpdate(sw, sg, sm, sv, n, 0.001f, 0.0007f, 0.9f, 0.999f, 1e-7f, 0.01f, scratch);
            be.sgdUpdate(sw2, sg, velocity, n, 0.01f, 0.9f, true, scratch);
        }
        return new float[][] {download(be, sw), download(be, sm), download(be, sv), download(be, sw2), download(be, velocity)};
    }

    @Test
    void largeActivationsMatchTheReference() {
        int n = 200_003;
        Random random = new Random(5);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * 4);
        }
        float[] dy = randoms(random, n);
        for (ActivationKind act : ActivationKind.values()) {
            if (!act.elementWise()) {
                continue;
            }
            float[][] expected = activation(REFERENCE, act, x, dy);
            backends().forEach(backend -> {
                float[][] actual = activation(backend, act, x, dy);
                assertClose(backend + " " + act + " forward", expected[0], actual[0], 2e-6, 2e-5);
                assertClose(backend + " " + act + " backward", expected[1], actual[1], 2e-6, 2e-5);
            });
        }
    }

    private static float[][] activation(Backend be, ActivationKind act, float[] x, float[] dy) {
        int n = x.length;
        Storage sx = upload(be, x);
        Storage sy = be.allocate(n);
        Storage sdy = upload(be, dy);
        Storage sdx = be.allocate(n);
        be.activationForward(act, sx, sy, 1, n);
        be.activationBackward(act, sx, sy, sdy, sdx, 1, n);
        return new float[][] {download(be, sy), download(be, sdx)};
    }

    @Test
    void backendsSayWhichPathTheyRun() {
        assertTrue(VECTOR.usesVectorApi());
        assertTrue(VECTOR.description().contains("Vector API"));
        assertTrue(VECTOR_FAST_MATH.description().contains("fast math"), VECTOR_FAST_MATH.description());
        assertFalse(VECTOR.description().contains("fast math"));
        assertFalse(SCALAR.usesVectorApi());
        assertTrue(SCALAR.description().contains("--add-modules jdk.incubator.vector"));
    }

    // ---------------------------------------------------------------- helpers

    private static float[] run(Backend be, boolean ta, boolean tb, int m, int n, int k,
                               float alpha, float[] a, float[] b, float beta, float[] c) {
        Storage sa = upload(be, a);
        Storage sb = upload(be, b);
        Storage sc = upload(be, c);
        be.gemm(ta, tb, m, n, k, alpha, sa, sb, beta, sc);
        return download(be, sc);
    }

    private static float[] randoms(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static Storage upload(Backend be, float[] x) {
        Storage s = be.allocate(x.length);
        be.upload(x, 0, s, 0, x.length);
        return s;
    }

    private static float[] download(Backend be, Storage s) {
        float[] x = new float[(int) s.size()];
        be.download(s, 0, x, 0, x.length);
        return x;
    }

    private static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }
}
