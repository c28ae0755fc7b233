package dev.lamina.cpu.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.MathFunctions;
import dev.lamina.backend.UnaryOp;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link DeterministicMath} against double-precision references, over a sweep of float bit
 * patterns (every 61st, or every 1021st where the reference is slow) and the edge cases; and each
 * scalar twin against its vector function, bit for bit, on the same inputs with every edge case in
 * every lane.
 */
class DeterministicMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float LN_MAX = (float) Math.log(Float.MAX_VALUE);
    private static final float LN_MIN_DENORMAL_HALF = (float) Math.log(Float.MIN_VALUE / 2.0);

    /** Values where something changes: zeros, denormals, infinities, NaN, thresholds and branch edges. */
    private static final float[] EDGES = edges();

    private static float[] edges() {
        float[] base = {
            0f, Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), Float.MIN_VALUE * 3,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, 1f, 0.5f, 2f, 1e-30f, 1e-10f, 1e-5f, 0.01f,
            LN_MAX, Math.nextUp(LN_MAX), Math.nextDown(LN_MAX), 88.7f, 88.72f, 88.73f, 89f, 90f, 100f, 1000f,
            87.33655f, 87.3f, 87.4f, 103f, 103.97f, 103.98f, 104f, 105f, 150f, 1e10f,
            -LN_MIN_DENORMAL_HALF, Math.nextUp(-LN_MIN_DENORMAL_HALF), Math.nextDown(-LN_MIN_DENORMAL_HALF),
            0.34657359f, 0.3465736f, 0.3465735f, 0.34f, 0.35f, 0.693147f, 1.0397f, 1.04f,
            0.75f, Math.nextDown(0.75f), Math.nextUp(0.75f), 0.75f * (float) Math.sqrt(2), 1.0606601f, 1.0606602f,
            3.8325f, 3.9f, 4f, 5f, 5.6f, 6f, 7.90531f, 8f, 9f, 10f, 15f, 17f, 20f, 30f,
            (float) Math.sqrt(2), (float) Math.sqrt(0.5), 0.70710677f, 0.7071068f, 1.4142135f, 1.4142137f,
        };
        float[] all = new float[2 * base.length];
        for (int i = 0; i < base.length; i++) {
            all[2 * i] = base[i];
            all[2 * i + 1] = -base[i];
        }
        return all;
    }

    // ---------------------------------------------------------------- sweeps

    /** Every step-th float bit pattern in [lo, hi] (both signs), then the edge cases. */
    private static float[] sweep(float lo, float hi, int step) {
        float[] out = new float[1 << 20];
        int n = 0;
        for (long bits = 0; bits < 0x1_0000_0000L; bits += step) {
            float x = Float.intBitsToFloat((int) bits);
            if (x >= lo && x <= hi) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, 2 * n);
                }
                out[n++] = x;
            }
        }
        float[] all = Arrays.copyOf(out, n + EDGES.length);
        System.arraycopy(EDGES, 0, all, n, EDGES.length);
        return all;
    }

    /** Applies the vector function to whole vectors; the last partial vector is padded, its padding dropped. */
    private static float[] vectorApply(UnaryOperator<FloatVector> f, float[] x) {
        int l = S.length();
        int padded = (x.length + l - 1) / l * l;
        float[] in = Arrays.copyOf(x, padded);
        float[] out = new float[padded];
        for (int i = 0; i < padded; i += l) {
            f.apply(FloatVector.fromArray(S, in, i)).intoArray(out, i);
        }
        return Arrays.copyOf(out, x.length);
    }

    interface ScalarFunction {
        float apply(float x);
    }

    /** A function applied to a whole array, by vectors and a scalar tail. */
    interface ArrayFunction {
        float[] apply(float[] x);
    }

    /** A vector method over whole vectors, the last one padded. */
    private static ArrayFunction lanes(UnaryOperator<FloatVector> f) {
        return x -> vectorApply(f, x);
    }

    private static final VectorElementKernels KERNELS = new VectorElementKernels();

    /** VectorElementKernels' forward activation over the array: vector loops and the scalar tail. */
    private static ArrayFunction forward(ActivationKind kind) {
        return x -> {
            float[] y = new float[x.length];
            KERNELS.activate(kind, x, 0, y, 0, x.length);
            return y;
        };
    }

    /** VectorElementKernels' backward activation with dy = 1: f'(x) itself. */
    private static ArrayFunction derivative(ActivationKind kind) {
        return x -> {
            float[] ones = new float[x.length];
            Arrays.fill(ones, 1f);
            float[] y = forward(kind).apply(x);
            KERNELS.activateBackward(kind, x, 0, y, 0, ones, 0, ones, 0, x.length);
            return ones;
        };
    }

    private static float[] checkLaneTwins(String name, UnaryOperator<FloatVector> vector, ScalarFunction scalar,
                                          float[] x) {
        return checkTwins(name, lanes(vector), scalar, x);
    }

    /**
     * The scalar twin gives the vector's bits, on the inputs (with a tail when the function is a
     * kernel), and with every edge case in every lane and, for kernels, in the tail.
     */
    private static float[] checkTwins(String name, ArrayFunction vector, ScalarFunction scalar, float[] x) {
        float[] v = vector.apply(x);
        for (int i = 0; i < x.length; i++) {
            float s = scalar.apply(x[i]);
            if (Float.floatToIntBits(s) != Float.floatToIntBits(v[i])) {
                fail(name + "(" + x[i] + "): scalar twin " + s + " but vector lane " + v[i]);
            }
        }
        for (int shift = 0; shift < S.length(); shift++) {
            float[] shifted = new float[shift + EDGES.length];
            Arrays.fill(shifted, 0, shift, 0.25f);
            System.arraycopy(EDGES, 0, shifted, shift, EDGES.length);
            float[] lanes = vector.apply(shifted);
            for (int i = shift; i < shifted.length; i++) {
                float s = scalar.apply(shifted[i]);
                if (Float.floatToIntBits(s) != Float.floatToIntBits(lanes[i])) {
                    fail(name + "(" + shifted[i] + ") in lane " + i % S.length() + ": scalar twin " + s
                            + " but vector " + lanes[i]);
                }
            }
        }
        return v;
    }

    /** The float just below |ref| (ref itself if it is a float), for an ulp that does not jump at a power of 2. */
    private static double ulpAt(double ref) {
        double a = Math.min(Math.abs(ref), Float.MAX_VALUE);
        float f = (float) a;
        if (f > a) {
            f = Math.nextDown(f);
        }
        return Math.max(Math.ulp(f), Float.MIN_VALUE);
    }

    /** |got − ref| in ulps of the exactly rounded result; ±∞ counts as ±2¹²⁸. */
    private static double ulps(float got, double ref) {
        if (Double.isNaN(ref) || Float.isNaN(got)) {
            return Double.isNaN(ref) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        double limit = 0x1p128;
        double g = Float.isInfinite(got) ? Math.copySign(limit, got) : got;
        double r = Math.max(-limit, Math.min(limit, ref));
        return g == r ? 0 : Math.abs(g - r) / ulpAt(r);
    }

    private static final class Worst {
        final String name;
        double error;
        float at;

        Worst(String name) {
            this.name = name;
        }

        void see(double e, float x) {
            if (e > error || Double.isNaN(e)) {
                error = e;
                at = x;
            }
        }

        void assertAtMost(double bound, String unit) {
            System.out.printf("%-22s max error %.3g %s at x = %s%n", name, error, unit, at);
            assertTrue(error <= bound, name + ": error " + error + " " + unit + " at x = " + at + " exceeds " + bound);
        }
    }

    private static void checkUlps(String name, UnaryOperator<FloatVector> vector, ScalarFunction scalar,
                                  DoubleUnaryOperator reference, float[] x, double bound) {
        float[] v = checkLaneTwins(name, vector, scalar, x);
        Worst worst = new Worst(name);
        for (int i = 0; i < x.length; i++) {
            worst.see(ulps(v[i], reference.applyAsDouble(x[i])), x[i]);
        }
        worst.assertAtMost(bound, "ulp");
    }

    // ---------------------------------------------------------------- the functions

    @Test
    void exp() {
        checkUlps("exp", DeterministicMath::exp, DeterministicMath::exp, Math::exp,
                sweep(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 61), 1.5);
        assertEquals(1f, DeterministicMath.exp(0f));
        assertEquals(1f, DeterministicMath.exp(-0f));
        float lastFinite = Math.nextDown(LN_MAX); // LN_MAX rounded up: e^LN_MAX overflows
        assertTrue(Math.exp(LN_MAX) > Float.MAX_VALUE && Math.exp(lastFinite) < Float.MAX_VALUE);
        assertEquals(Float.POSITIVE_INFINITY, DeterministicMath.exp(LN_MAX));
        assertEquals((float) Math.exp(lastFinite), DeterministicMath.exp(lastFinite));
        assertEquals(Float.POSITIVE_INFINITY, DeterministicMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, DeterministicMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, DeterministicMath.exp(-104f));
        assertEquals(Float.MIN_VALUE, DeterministicMath.exp(-103.9f)); // a denormal, not flushed to zero
        assertTrue(Float.isNaN(DeterministicMath.exp(Float.NaN)));
    }

    @Test
    void expm1() {
        checkUlps("expm1", DeterministicMath::expm1, DeterministicMath::expm1, Math::expm1,
                sweep(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 61), 2);
        assertEquals(-1f, DeterministicMath.expm1(Float.NEGATIVE_INFINITY));
        assertEquals(1e-30f, DeterministicMath.expm1(1e-30f));
        assertEquals(Float.MIN_VALUE, DeterministicMath.expm1(Float.MIN_VALUE));
    }

    @Test
    void log() {
        checkUlps("log", DeterministicMath::log, DeterministicMath::log, Math::log,
                sweep(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 61), 1.5);
        assertEquals(Float.NEGATIVE_INFINITY, DeterministicMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, DeterministicMath.log(-0f));
        assertEquals(0f, DeterministicMath.log(1f));
        assertEquals(Float.POSITIVE_INFINITY, DeterministicMath.log(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(DeterministicMath.log(-1f)));
        assertTrue(Float.isNaN(DeterministicMath.log(Float.NEGATIVE_INFINITY)));
        assertTrue(Float.isNaN(DeterministicMath.log(Float.NaN)));
    }

    @Test
    void log1p() {
        // its domain: u > -1, finite, and NaN
        float[] x = within(sweep(Math.nextUp(-1f), Float.MAX_VALUE, 61), Math.nextUp(-1f), Float.MAX_VALUE);
        checkUlps("log1p", DeterministicMath::log1p, DeterministicMath::log1p, Math::log1p, x, 2);
        assertEquals(0f, DeterministicMath.log1p(0f));
        assertEquals(1e-30f, DeterministicMath.log1p(1e-30f));
        assertTrue(Float.isNaN(DeterministicMath.log1p(Float.NaN)));
    }

    @Test
    void tanh() {
        checkUlps("tanh", DeterministicMath::tanh, DeterministicMath::tanh, Math::tanh,
                sweep(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 61), 3);
        assertEquals(1f, DeterministicMath.tanh(10f));
        assertEquals(-1f, DeterministicMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(DeterministicMath.tanh(-0f)));
        assertEquals(-Float.MIN_VALUE, DeterministicMath.tanh(-Float.MIN_VALUE));
    }

    @Test
    void erf() {
        float[] x = sweep(-12f, 12f, 1021);
        float[] v = checkLaneTwins("erf", DeterministicMath::erf, DeterministicMath::erf, x);
        Worst worst = new Worst("erf");
        for (int i = 0; i < x.length; i++) {
            worst.see(Float.isNaN(x[i]) ? (Float.isNaN(v[i]) ? 0 : 1) : Math.abs(v[i] - MathFunctions.erf(x[i])), x[i]);
        }
        worst.assertAtMost(2e-7, "absolute");
        assertEquals(1f, DeterministicMath.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, DeterministicMath.erf(-1e30f));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(DeterministicMath.erf(-0f)));
    }

    @Test
    void erfc() {
        float[] x = sweep(-12f, 12f, 1021);
        float[] v = checkLaneTwins("erfc", DeterministicMath::erfc, DeterministicMath::erfc, x);
        Worst absolute = new Worst("erfc");
        Worst relative = new Worst("erfc, 0 <= x < 2");
        Worst tail = new Worst("erfc, 2 <= x < 9");
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                absolute.see(Float.isNaN(v[i]) ? 0 : 1, x[i]);
                continue;
            }
            double ref = erfc(x[i]);
            absolute.see(Math.abs(v[i] - ref), x[i]);
            if (x[i] >= 0 && x[i] < 2) {
                relative.see(Math.abs(v[i] - ref) / ref, x[i]);
            } else if (x[i] >= 2 && x[i] < 9) {
                tail.see(Math.abs(v[i] - ref) / ref, x[i]);
            }
        }
        absolute.assertAtMost(2e-7, "absolute");
        relative.assertAtMost(6e-7, "relative");
        tail.assertAtMost(6e-6, "relative");
        assertEquals(0f, DeterministicMath.erfc(Float.POSITIVE_INFINITY));
        assertEquals(2f, DeterministicMath.erfc(Float.NEGATIVE_INFINITY));
    }

    /** erfc in double, keeping its relative precision in the tail (MathFunctions.erf's continued fraction). */
    private static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 3) {
            return 1 - MathFunctions.erf(x);
        }
        double fraction = x;
        for (int n = 60; n >= 1; n--) {
            fraction = x + (n / 2.0) / fraction;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / fraction;
    }

    // ---------------------------------------------------------------- the activations

    /** |got − ref| ≤ ulpBound·ulp(ref) + absBound. */
    private static void checkActivation(String name, ArrayFunction vector, ScalarFunction scalar,
                                        DoubleUnaryOperator reference, float[] x, double ulpBound, double absBound) {
        float[] v = checkTwins(name, vector, scalar, x);
        Worst worst = new Worst(name + " (beyond " + absBound + ")");
        for (int i = 0; i < x.length; i++) {
            double ref = reference.applyAsDouble(x[i]);
            worst.see(Math.abs(v[i] - ref) <= absBound ? 0 : ulps(v[i], ref), x[i]);
        }
        worst.assertAtMost(ulpBound, "ulp");
    }

    /** The activations as VectorElementKernels computes them, against their scalar twins and double references. */
    @Test
    void activations() {
        float[] x = sweep(-200f, 200f, 1021);
        checkActivation("sigmoid", forward(ActivationKind.SIGMOID), DeterministicMath::sigmoid,
                ActivationKind.SIGMOID::apply, x, 3, Float.MIN_NORMAL); // denormal results may be 0
        checkActivation("tanh", forward(ActivationKind.TANH), DeterministicMath::tanh, Math::tanh, x, 3, 0);
        checkActivation("swish", forward(ActivationKind.SWISH), DeterministicMath::swish,
                ActivationKind.SWISH::apply, x, 3, 3e-37); // 0 once e^-x overflows, below x = -88.7
        checkActivation("softplus", forward(ActivationKind.SOFTPLUS), DeterministicMath::softplus,
                ActivationKind.SOFTPLUS::apply, x, 2, 0);
        checkActivation("elu", forward(ActivationKind.ELU), v -> DeterministicMath.elu(v, 1f, 1f),
                ActivationKind.ELU::apply, x, 1.5, 0);
        float seluAlpha = (float) ActivationKind.SELU_ALPHA;
        float seluScale = (float) ActivationKind.SELU_SCALE;
        checkActivation("selu", forward(ActivationKind.SELU), v -> DeterministicMath.elu(v, seluAlpha, seluScale),
                ActivationKind.SELU::apply, x, 3, 0);
        float[] core = within(x, -3f, Float.POSITIVE_INFINITY);
        checkActivation("gelu, x >= -3", forward(ActivationKind.GELU), DeterministicMath::gelu,
                DeterministicMathTest::gelu, core, 16, 0);
        // everywhere else erfc's relative error, which grows with the rounding of exp's argument −x²/2
        checkRelative("gelu", forward(ActivationKind.GELU), DeterministicMath::gelu, DeterministicMathTest::gelu, x,
                2e-5);
        // Φ(x) + x·φ(x) cancels to 0 near x = -0.75: there the bound is absolute
        checkActivation("gelu'", derivative(ActivationKind.GELU), DeterministicMath::geluDerivative,
                DeterministicMathTest::geluDerivative, x, 16, 1e-7);
        checkActivation("swish'", derivative(ActivationKind.SWISH), DeterministicMath::swishDerivative,
                v -> ActivationKind.SWISH.derivative(v, 0), x, 4, 1e-7); // 0 near x = -1.28, and below -88.7
        checkActivation("softplus'", derivative(ActivationKind.SOFTPLUS), DeterministicMath::sigmoid,
                v -> ActivationKind.SOFTPLUS.derivative(v, 0), x, 3, Float.MIN_NORMAL);
    }

    /** The EXP and LOG ops of VectorElementKernels: the loops written out in full give exp's and log's bits. */
    @Test
    void expAndLogKernels() {
        float[] x = sweep(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1021);
        checkTwins("EXP op", unary(UnaryOp.EXP), DeterministicMath::exp, x);
        checkTwins("LOG op", unary(UnaryOp.LOG), DeterministicMath::log, x);
    }

    private static ArrayFunction unary(UnaryOp op) {
        return x -> {
            float[] y = new float[x.length];
            KERNELS.unary(op, x, 0, y, 0, x.length);
            return y;
        };
    }

    /**
     * softmaxRow and logSumExpRow: e^(x − max) by DeterministicMath.exp's bits in the lanes and the
     * tail, the lanes' partial sums added in lane order, then the tail.
     */
    @Test
    void softmaxRowsUseDeterministicExp() {
        java.util.Random random = new java.util.Random(7);
        int l = S.length();
        for (int len : new int[] {1, l - 1, l, l + 1, 3 * l + 5, 1000}) {
            for (int off = 0; off < 3; off++) {
                float[] x = new float[off + len];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (random.nextGaussian() * 10);
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < len; i++) {
                    max = Math.max(max, x[off + i]);
                }
                float[] e = new float[len];
                float[] laneSums = new float[l];
                int bound = len / l * l;
                for (int i = 0; i < len; i++) {
                    e[i] = DeterministicMath.exp(x[off + i] - max);
                    if (i < bound) {
                        laneSums[i % l] += e[i];
                    }
                }
                double sum = 0;
                for (float s : laneSums) {
                    sum += s;
                }
                for (int i = bound; i < len; i++) {
                    sum += e[i];
                }
                float[] y = new float[off + len];
                KERNELS.softmaxRow(x, off, y, off, len);
                float inverse = (float) (1 / sum);
                for (int i = 0; i < len; i++) {
                    assertEquals(Float.floatToIntBits(e[i] * inverse), Float.floatToIntBits(y[off + i]),
                            "softmax, len " + len + ", element " + i);
                }
                assertEquals((float) (max + Math.log(sum)), KERNELS.logSumExpRow(x, off, len), "logSumExp, len " + len);
            }
        }
    }

    /** |got − ref| ≤ bound·|ref|, for results of at least Float.MIN_NORMAL. */
    private static void checkRelative(String name, ArrayFunction vector, ScalarFunction scalar,
                                      DoubleUnaryOperator reference, float[] x, double bound) {
        float[] v = checkTwins(name, vector, scalar, x);
        Worst worst = new Worst(name + ", relative");
        for (int i = 0; i < x.length; i++) {
            double ref = reference.applyAsDouble(x[i]);
            if (Double.isNaN(ref) || Float.isNaN(v[i])) {
                worst.see(Double.isNaN(ref) && Float.isNaN(v[i]) ? 0 : Double.POSITIVE_INFINITY, x[i]);
            } else if (Math.abs(ref) >= Float.MIN_NORMAL && !Double.isInfinite(ref)) {
                worst.see(Math.abs(v[i] - ref) / Math.abs(ref), x[i]);
            }
        }
        worst.assertAtMost(bound, "relative");
    }

    /** x·Φ(x), its tail to full relative precision (ActivationKind's 1 + erf(x/√2) is 0 below x = -8). */
    private static double gelu(double x) {
        return x * 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static double geluDerivative(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2)) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    // ---------------------------------------------------------------- helpers

    /** The values in [lo, hi], and NaN. */
    private static float[] within(float[] x, float lo, float hi) {
        float[] out = new float[x.length];
        int n = 0;
        for (float v : x) {
            if (v >= lo && v <= hi || Float.isNaN(v)) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
