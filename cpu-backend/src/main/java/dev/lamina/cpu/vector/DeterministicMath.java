package dev.lamina.cpu.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float exp, expm1, log, log1p, tanh, erf and erfc, and the activations built on them, that give
 * the same bits every time: before and after the JIT compiles them, on any number of threads, and
 * whether an element falls in a vector's lanes or in a loop's scalar tail.
 *
 * <p>The Vector API's own {@code lanewise(EXP)}, {@code TANH} and so on are computed by one routine
 * while interpreted and by another (HotSpot's short-vector math library) once compiled, and the two
 * differ in the last bits. The functions here use only operations IEEE 754 rounds exactly, which
 * every tier of HotSpot computes alike: add, subtract, multiply, divide, fused multiply-add, min,
 * max, abs, negation, comparisons and blends on {@link FloatVector}, and shifts, adds and bit casts
 * on {@link IntVector} (no {@code convert}: 2ⁿ and n as a float come from bit patterns). Each
 * function comes as a vector method and as a scalar twin with the same operations in the same order
 * ({@link Math#fma} where the vector code uses {@code fma}), so that the twin returns exactly the
 * lanes' bits; the activations come as scalar twins and as the loops that
 * {@link VectorElementKernels} runs. The tests check every pair bit for bit.
 *
 * <p>Accuracy against the exactly rounded result, as {@code DeterministicMathTest} measures it over
 * every 61st float bit pattern (every 1021st for erf, erfc and the activations) and the edge cases:
 * exp 1.0 ulp, expm1 1.4 ulp, log 0.82 ulp, log1p 1.45 ulp, tanh 2.5 ulp; erf within 1.3e-7 of the
 * exact value, erfc within 1.6e-7, and 4.7e-7 relative for arguments below 2 (it is computed through
 * exp, whose argument −x² is rounded: 4e-6 relative near 9, where erfc is 1e-36); sigmoid, swish and
 * softplus 2.2 ulp, elu and selu 2 ulp, gelu 13 ulp where x ≥ −3 and 1.5e-5 relative below. exp
 * rounds denormal results once rather than flushing them to zero; sigmoid and swish are 0 below
 * x = −88.7, where e^−x overflows (the exact values are below 3e-37).
 *
 * <p>The vector methods take and return vectors of {@link FloatVector#SPECIES_PREFERRED}. They are
 * the definitions and what the tests measure; the kernel loops at the end of this class write them
 * out in full rather than call them, for the reason given there.
 */
public final class DeterministicMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private DeterministicMath() {
    }

    // ---------------------------------------------------------------- exp and expm1

    /**
     * x·log2(e) + 1.5·2²³ rounds x·log2(e) to the nearest integer n (|n| &lt; 2²²), which then sits
     * in the low bits of the sum's bit pattern: bits(sum) − bits(1.5·2²³) = n.
     */
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with 9 significant bits so that n·LN2_HI is exact (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /**
     * Arguments are clamped to [EXP_MIN, EXP_MAX] first. Below −103.98, e^x is under half the
     * smallest denormal and rounds to 0; −104 gives 0 through the same arithmetic. Above 88.72 it
     * overflows; 89 gives +∞ through the same arithmetic. NaN passes min and max through.
     */
    private static final float EXP_MIN = -104f;
    private static final float EXP_MAX = 89f;
    /** e^r ≈ 1 + r + r²·(P0 + P1·r + … + P5·r⁵) on |r| ≤ ln2/2 (Cephes expf). */
    private static final float P0 = 5.0000001201e-1f;
    private static final float P1 = 1.6666665459e-1f;
    private static final float P2 = 4.1665795894e-2f;
    private static final float P3 = 8.3334519073e-3f;
    private static final float P4 = 1.3981999507e-3f;
    private static final float P5 = 1.9875691500e-4f;
    private static final FloatVector V_NEG_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
    private static final FloatVector V_NEG_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
    private static final FloatVector V_P0 = FloatVector.broadcast(S, P0);
    private static final FloatVector V_P1 = FloatVector.broadcast(S, P1);
    private static final FloatVector V_P2 = FloatVector.broadcast(S, P2);
    private static final FloatVector V_P3 = FloatVector.broadcast(S, P3);

    /**
     * e^x: n = round(x/ln2), r = x − n·ln2 (in two steps, exact to about 2⁻³⁴), a degree-7
     * polynomial for e^r, and 2ⁿ applied as two factors 2^⌊n/2⌋·2^⌈n/2⌉ so that both stay normal
     * for n from −150 to 128: results near the overflow threshold come out finite, and results in
     * the denormal range are rounded once, by the last multiplication, rather than flushed to zero.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(V_NEG_LN2_HI, xc);
        r = n.fma(V_NEG_LN2_LO, r);
        FloatVector q = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0);
        FloatVector p = q.fma(r.mul(r), r).add(1f);
        IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /** The scalar twin of {@link #exp(FloatVector)}. */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = Math.fma(xc, LOG2E, ROUND);
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P5, P4), r, P3), r, P2), r, P1), r, P0);
        float p = Math.fma(q, r * r, r) + 1f;
        int ni = Float.floatToRawIntBits(t) - ROUND_BITS;
        int n1 = ni >> 1;
        float s1 = Float.intBitsToFloat((n1 + 127) << 23);
        float s2 = Float.intBitsToFloat((ni - n1 + 127) << 23);
        return p * s1 * s2;
    }

    /** expm1 clamps to [EXPM1_MIN, EXP_MAX]: e^x − 1 rounds to −1 well above −87, where 2ⁿ is still normal. */
    private static final float EXPM1_MIN = -87f;
    /** t when n = 128, the one n whose 2ⁿ overflows: e^x − 1 is then computed as (e^r·2)·2¹²⁷. */
    private static final float ROUND_128 = ROUND + 128;

    /**
     * e^x − 1, keeping its relative precision near 0: with s = 2ⁿ and e^r − 1 = r + r²·q from the
     * polynomial, e^x − 1 = s·(e^r − 1) + (s − 1), one fused multiply-add, and s − 1 is exact for
     * the small n where it matters. n = 128 (x above 88.37) takes e^r·2¹²⁸ instead, as exp does.
     */
    public static FloatVector expm1(FloatVector x) {
        FloatVector xc = x.max(EXPM1_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(V_NEG_LN2_HI, xc);
        r = n.fma(V_NEG_LN2_LO, r);
        FloatVector q = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0);
        FloatVector pm1 = q.fma(r.mul(r), r);
        FloatVector s = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector em1 = s.fma(pm1, s.sub(1f));
        return em1.blend(pm1.add(1f).mul(2f).mul(0x1p127f), t.compare(VectorOperators.EQ, ROUND_128));
    }

    /** The scalar twin of {@link #expm1(FloatVector)}. */
    public static float expm1(float x) {
        float xc = Math.min(Math.max(x, EXPM1_MIN), EXP_MAX);
        float t = Math.fma(xc, LOG2E, ROUND);
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P5, P4), r, P3), r, P2), r, P1), r, P0);
        float pm1 = Math.fma(q, r * r, r);
        float s = Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23);
        float em1 = Math.fma(s, pm1, s - 1f);
        return t == ROUND_128 ? (pm1 + 1f) * 2f * 0x1p127f : em1;
    }

    // ---------------------------------------------------------------- log and log1p

    /** Bits of √½: x's bits minus these split x into 2^k·m with m in [√½, √2). */
    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    private static final int MANTISSA = 0x007fffff;
    /** log(1 + f) ≈ f − f²/2 + f³·(L0 + L1·f + … + L8·f⁸) on √½ − 1 ≤ f &lt; √2 − 1 (Cephes logf). */
    private static final float L0 = 3.3333331174e-1f;
    private static final float L1 = -2.4999993993e-1f;
    private static final float L2 = 2.0000714765e-1f;
    private static final float L3 = -1.6668057665e-1f;
    private static final float L4 = 1.4249322787e-1f;
    private static final float L5 = -1.2420140846e-1f;
    private static final float L6 = 1.1676998740e-1f;
    private static final float L7 = -1.1514610310e-1f;
    private static final float L8 = 7.0376836292e-2f;
    private static final FloatVector V_LN2_HI = FloatVector.broadcast(S, LN2_HI);
    private static final FloatVector V_LN2_LO = FloatVector.broadcast(S, LN2_LO);
    private static final FloatVector V_L0 = FloatVector.broadcast(S, L0);
    private static final FloatVector V_L1 = FloatVector.broadcast(S, L1);
    private static final FloatVector V_L2 = FloatVector.broadcast(S, L2);
    private static final FloatVector V_L3 = FloatVector.broadcast(S, L3);
    private static final FloatVector V_L4 = FloatVector.broadcast(S, L4);
    private static final FloatVector V_L5 = FloatVector.broadcast(S, L5);
    private static final FloatVector V_L6 = FloatVector.broadcast(S, L6);
    private static final FloatVector V_NEG_HALF = FloatVector.broadcast(S, -0.5f);
    private static final float TWO_23 = 0x1p23f;

    /**
     * The natural logarithm of positive normal floats; garbage for anything else (zero, denormals,
     * negative numbers, ∞, NaN), which {@link #log(FloatVector)} sorts out.
     */
    private static FloatVector logNormal(FloatVector x) {
        IntVector ix = x.reinterpretAsInts().sub(SQRT_HALF_BITS);
        IntVector k = ix.lanewise(VectorOperators.ASHR, 23);
        FloatVector f = ix.and(MANTISSA).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector kf = k.add(ROUND_BITS).reinterpretAsFloats().sub(ROUND); // k as a float, exactly
        FloatVector z = f.mul(f);
        FloatVector y = f.fma(L8, L7).fma(f, V_L6).fma(f, V_L5).fma(f, V_L4).fma(f, V_L3).fma(f, V_L2)
                .fma(f, V_L1).fma(f, V_L0).mul(f.mul(z));
        y = kf.fma(V_LN2_LO, y);
        y = z.fma(V_NEG_HALF, y);
        return kf.fma(V_LN2_HI, f.add(y));
    }

    private static float logNormal(float x) {
        int ix = Float.floatToRawIntBits(x) - SQRT_HALF_BITS;
        int k = ix >> 23;
        float f = Float.intBitsToFloat((ix & MANTISSA) + SQRT_HALF_BITS) - 1f;
        float kf = Float.intBitsToFloat(k + ROUND_BITS) - ROUND;
        float z = f * f;
        float y = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(f, L8, L7), f, L6), f, L5),
                f, L4), f, L3), f, L2), f, L1), f, L0) * (f * z);
        y = Math.fma(kf, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        return Math.fma(kf, LN2_HI, f + y);
    }

    /**
     * The natural logarithm: log(2^k·m) = k·ln2 + log(m) with m in [√½, √2); denormals are scaled
     * by 2²³ first; log(±0) = −∞, log(x &lt; 0) = NaN, log(+∞) = +∞, NaN stays NaN.
     */
    public static FloatVector log(FloatVector x) {
        VectorMask<Float> denormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector r = logNormal(x.blend(x.mul(TWO_23), denormal));
        r = r.blend(r.sub(23 * LN2_HI).sub(23 * LN2_LO), denormal);
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        // +∞ and NaN pass through; two compares, not a negated mask: JDK 17's C2 boxed the blend of a not()
        return r.blend(x, x.compare(VectorOperators.GE, Float.POSITIVE_INFINITY)).blend(x, x.compare(VectorOperators.NE, x));
    }

    /** The scalar twin of {@link #log(FloatVector)}. */
    public static float log(float x) {
        boolean denormal = x < Float.MIN_NORMAL;
        float r = logNormal(denormal ? x * TWO_23 : x);
        if (denormal) {
            r = r - 23 * LN2_HI - 23 * LN2_LO;
        }
        if (x == 0f) {
            r = Float.NEGATIVE_INFINITY;
        }
        if (x < 0f) {
            r = Float.NaN;
        }
        return x < Float.POSITIVE_INFINITY ? r : x;
    }

    /**
     * log(1 + u) for u &gt; −1 and finite (softplus needs it on [0, 1]), NaN for NaN: log(w) of
     * w = 1 + u, plus (u − (w − 1))/w for what rounding w lost.
     */
    public static FloatVector log1p(FloatVector u) {
        FloatVector w = u.add(1f);
        FloatVector lost = u.sub(w.sub(1f)).div(w);
        return logNormal(w).add(lost);
    }

    /** The scalar twin of {@link #log1p(FloatVector)}. */
    public static float log1p(float u) {
        float w = u + 1f;
        float lost = (u - (w - 1f)) / w;
        return logNormal(w) + lost;
    }

    // ---------------------------------------------------------------- tanh

    private static final int SIGN = 0x80000000;

    /** tanh|x| = −m/(m + 2) with m = e^(−2|x|) − 1, which stays in [−1, 0]; then x's sign. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector m = expm1(x.abs().mul(-2f));
        FloatVector t = m.div(m.add(2f)).abs();
        return t.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
    }

    /** The scalar twin of {@link #tanh(FloatVector)}. */
    public static float tanh(float x) {
        float m = expm1(Math.abs(x) * -2f);
        float t = Math.abs(m / (m + 2f));
        return Float.intBitsToFloat(Float.floatToRawIntBits(t) | (Float.floatToRawIntBits(x) & SIGN));
    }

    // ---------------------------------------------------------------- erf and erfc

    /** Below this, erf(a) from its Maclaurin series; above, erfc(a) from Numerical Recipes' erfcc. */
    private static final float ERF_SERIES_MAX = 0.75f;
    /** erf(a) ≈ a·(E0 + E1·a² + … + E7·a¹⁴), the series' first eight terms: 2/√π·(−1)ⁿ/(n!·(2n + 1)). */
    private static final float E0 = (float) (2 / Math.sqrt(Math.PI));
    private static final float E1 = (float) (-2 / Math.sqrt(Math.PI) / 3);
    private static final float E2 = (float) (2 / Math.sqrt(Math.PI) / 10);
    private static final float E3 = (float) (-2 / Math.sqrt(Math.PI) / 42);
    private static final float E4 = (float) (2 / Math.sqrt(Math.PI) / 216);
    private static final float E5 = (float) (-2 / Math.sqrt(Math.PI) / 1320);
    private static final float E6 = (float) (2 / Math.sqrt(Math.PI) / 9360);
    private static final float E7 = (float) (-2 / Math.sqrt(Math.PI) / 75600);
    /**
     * erfc(a) ≈ t·exp(−a² + C0 + C1·t + … + C9·t⁹), t = 1/(1 + a/2): Numerical Recipes' Chebyshev
     * fit, relative error below 1.2e-7 in exact arithmetic for every a ≥ 0.
     */
    private static final float C0 = -1.26551223f;
    private static final float C1 = 1.00002368f;
    private static final float C2 = 0.37409196f;
    private static final float C3 = 0.09678418f;
    private static final float C4 = -0.18628806f;
    private static final float C5 = 0.27886807f;
    private static final float C6 = -1.13520398f;
    private static final float C7 = 1.48851587f;
    private static final float C8 = -0.82215223f;
    private static final float C9 = 0.17087277f;
    private static final FloatVector V_E0 = FloatVector.broadcast(S, E0);
    private static final FloatVector V_E1 = FloatVector.broadcast(S, E1);
    private static final FloatVector V_E2 = FloatVector.broadcast(S, E2);
    private static final FloatVector V_E3 = FloatVector.broadcast(S, E3);
    private static final FloatVector V_E4 = FloatVector.broadcast(S, E4);
    private static final FloatVector V_E5 = FloatVector.broadcast(S, E5);
    private static final FloatVector V_C0 = FloatVector.broadcast(S, C0);
    private static final FloatVector V_C1 = FloatVector.broadcast(S, C1);
    private static final FloatVector V_C2 = FloatVector.broadcast(S, C2);
    private static final FloatVector V_C3 = FloatVector.broadcast(S, C3);
    private static final FloatVector V_C4 = FloatVector.broadcast(S, C4);
    private static final FloatVector V_C5 = FloatVector.broadcast(S, C5);
    private static final FloatVector V_C6 = FloatVector.broadcast(S, C6);
    private static final FloatVector V_C7 = FloatVector.broadcast(S, C7);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    /** erf(a) for 0 ≤ a &lt; {@link #ERF_SERIES_MAX}. */
    private static FloatVector erfSeries(FloatVector a) {
        FloatVector z = a.mul(a);
        return z.fma(E7, E6).fma(z, V_E5).fma(z, V_E4).fma(z, V_E3).fma(z, V_E2).fma(z, V_E1).fma(z, V_E0).mul(a);
    }

    private static float erfSeries(float a) {
        float z = a * a;
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(z, E7, E6), z, E5), z, E4), z, E3), z, E2),
                z, E1), z, E0) * a;
    }

    /** erfc(a) for a ≥ {@link #ERF_SERIES_MAX} (any a ≥ 0 works, less precisely near 0). */
    private static FloatVector erfcFit(FloatVector a) {
        FloatVector t = ONE.div(a.fma(0.5f, 1f));
        FloatVector p = t.fma(C9, C8).fma(t, V_C7).fma(t, V_C6).fma(t, V_C5).fma(t, V_C4).fma(t, V_C3)
                .fma(t, V_C2).fma(t, V_C1).fma(t, V_C0);
        return t.mul(exp(a.neg().fma(a, p)));
    }

    private static float erfcFit(float a) {
        float t = 1f / Math.fma(a, 0.5f, 1f);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(t, C9, C8), t, C7),
                t, C6), t, C5), t, C4), t, C3), t, C2), t, C1), t, C0);
        return t * exp(Math.fma(-a, a, p));
    }

    /**
     * erfc(a) for a ≥ 0 (NaN for NaN): 1 − erf(a) from the series below 0.75, the fit above, where
     * erfc keeps its relative precision as it falls towards 0.
     */
    public static FloatVector erfcOfNonNegative(FloatVector a) {
        return erfcFit(a).blend(ONE.sub(erfSeries(a)), a.compare(VectorOperators.LT, ERF_SERIES_MAX));
    }

    /** The scalar twin of {@link #erfcOfNonNegative(FloatVector)}. */
    public static float erfcOfNonNegative(float a) {
        float fit = erfcFit(a);
        float series = 1f - erfSeries(a);
        return a < ERF_SERIES_MAX ? series : fit;
    }

    /** The error function, within 1.5e-7 of the exact value everywhere; odd, erf(±∞) = ±1. */
    public static FloatVector erf(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector e = ONE.sub(erfcFit(a)).blend(erfSeries(a), a.compare(VectorOperators.LT, ERF_SERIES_MAX));
        return e.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
    }

    /** The scalar twin of {@link #erf(FloatVector)}. */
    public static float erf(float x) {
        float a = Math.abs(x);
        float fit = 1f - erfcFit(a);
        float e = a < ERF_SERIES_MAX ? erfSeries(a) : fit;
        return Float.intBitsToFloat(Float.floatToRawIntBits(e) | (Float.floatToRawIntBits(x) & SIGN));
    }

    /** The complementary error function 1 − erf(x), for any x. */
    public static FloatVector erfc(FloatVector x) {
        FloatVector c = erfcOfNonNegative(x.abs());
        return c.blend(c.neg().add(2f), x.compare(VectorOperators.LT, 0f));
    }

    /** The scalar twin of {@link #erfc(FloatVector)}. */
    public static float erfc(float x) {
        float c = erfcOfNonNegative(Math.abs(x));
        return x < 0f ? 2f - c : c;
    }

    // ---------------------------------------------------------------- activations, one element

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    /** 1/(1 + e^−x): below x = −88.7, where e^−x overflows, 0 rather than a denormal. */
    public static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    /** x·sigmoid(x), as x/(1 + e^−x). */
    public static float swish(float x) {
        return x / (exp(-x) + 1f);
    }

    /**
     * swish'(x) = s + x·s·(1 − s), s = sigmoid(x), with 1 − s taken as e^−x·s for x ≥ 0, where
     * subtracting s from 1 would lose its digits.
     */
    public static float swishDerivative(float x) {
        float e = exp(-x);
        float s = 1f / (e + 1f);
        float oneMinusS = x < 0f ? 1f - s : e * s;
        return Math.fma(x * s, oneMinusS, s);
    }

    /** log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|), which neither overflows nor loses small values. */
    public static float softplus(float x) {
        return Math.max(x, 0f) + log1p(exp(-Math.abs(x)));
    }

    /** scale·(x &gt; 0 ? x : alpha·(eˣ − 1)): ELU with (1, 1), SELU with its constants. */
    public static float elu(float x, float alpha, float scale) {
        float negative = expm1(x) * alpha;
        return (x <= 0f ? negative : x) * scale;
    }

    /**
     * 0.5·x·(1 + erf(x/√2)) = x·Φ(x), with Φ(x) = 0.5·erfc(|x|/√2) for x &lt; 0 and 1 − that for
     * x ≥ 0: the negative tail keeps its relative precision.
     */
    public static float gelu(float x) {
        float half = erfcOfNonNegative(Math.abs(x) * INV_SQRT2) * 0.5f;
        return (x < 0f ? half : 1f - half) * x;
    }

    /** gelu'(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π). */
    public static float geluDerivative(float x) {
        float half = erfcOfNonNegative(Math.abs(x) * INV_SQRT2) * 0.5f;
        float cdf = x < 0f ? half : 1f - half;
        float pdf = exp(x * x * -0.5f) * INV_SQRT_2PI;
        return Math.fma(x, pdf, cdf);
    }

    // ---------------------------------------------------------------- loops over whole vectors

    // What VectorElementKernels runs: each loop covers [0, bound) (bound a multiple of the vector
    // length) with the functions above written out in full, the same operations in the same order
    // as the vector methods and the scalar twins. Written out, because C2 stops inlining methods
    // that are not the Vector API's own once a compilation has made 18,000 nodes
    // (NodeCountInliningCutoff), which a loop of some forty vector operations does; a helper left
    // out of line then boxes the vectors it takes and returns, allocating on every block. The Vector
    // API's methods are exempt (they are inlined later, incrementally), so a loop that calls only
    // them compiles whole. A loop that its caller's compilation leaves out of line for the same
    // reason costs nothing: it takes arrays. Tests compare every loop with the scalar twins, bit for
    // bit, and check that none allocates.

    /** y = e^x. */
    static void expLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // exp(v)
            FloatVector xc = v.max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            e.intoArray(y, yOff + i);
        }
    }

    /** y = log(x). */
    static void logLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            VectorMask<Float> denormal = v.compare(VectorOperators.LT, Float.MIN_NORMAL);
            // logNormal(w)
            FloatVector w = v.blend(v.mul(TWO_23), denormal);
            IntVector ix = w.reinterpretAsInts().sub(SQRT_HALF_BITS);
            FloatVector f = ix.and(MANTISSA).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector kf = ix.lanewise(VectorOperators.ASHR, 23).add(ROUND_BITS).reinterpretAsFloats().sub(ROUND);
            FloatVector z = f.mul(f);
            FloatVector q = f.fma(L8, L7).fma(f, V_L6).fma(f, V_L5).fma(f, V_L4).fma(f, V_L3).fma(f, V_L2)
                    .fma(f, V_L1).fma(f, V_L0).mul(f.mul(z));
            q = z.fma(V_NEG_HALF, kf.fma(V_LN2_LO, q));
            FloatVector r = kf.fma(V_LN2_HI, f.add(q));
            // the special cases
            r = r.blend(r.sub(23 * LN2_HI).sub(23 * LN2_LO), denormal);
            r = r.blend(Float.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0f));
            r = r.blend(Float.NaN, v.compare(VectorOperators.LT, 0f));
            r = r.blend(v, v.compare(VectorOperators.GE, Float.POSITIVE_INFINITY));      // +∞ (not a not(): boxed)
            r.blend(v, v.compare(VectorOperators.NE, v)).intoArray(y, yOff + i);             // NaN
        }
    }

    /** y = sigmoid(x) = 1/(1 + e^−x). */
    static void sigmoidLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // exp(−v)
            FloatVector xc = v.neg().max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            ONE.div(e.add(1f)).intoArray(y, yOff + i);
        }
    }

    /** y = swish(x) = x/(1 + e^−x). */
    static void swishLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // exp(−v)
            FloatVector xc = v.neg().max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            v.div(e.add(1f)).intoArray(y, yOff + i);
        }
    }

    /** dx = swish'(x)·dy. */
    static void swishBackwardLoop(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // exp(−v)
            FloatVector xc = v.neg().max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            // swishDerivative
            FloatVector s = ONE.div(e.add(1f));
            FloatVector oneMinusS = e.mul(s).blend(ONE.sub(s), v.compare(VectorOperators.LT, 0f));
            v.mul(s).fma(oneMinusS, s).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    /** dx = sigmoid(x)·dy, softplus' times dy. */
    static void sigmoidTimesLoop(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // exp(−v)
            FloatVector xc = v.neg().max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            ONE.div(e.add(1f)).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    /** y = softplus(x) = max(x, 0) + log1p(e^−|x|). */
    static void softplusLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // exp(−|v|)
            FloatVector xc = v.abs().neg().max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector u = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            // log1p(u): logNormal(w) + lost
            FloatVector w = u.add(1f);
            FloatVector lost = u.sub(w.sub(1f)).div(w);
            IntVector ix = w.reinterpretAsInts().sub(SQRT_HALF_BITS);
            FloatVector f = ix.and(MANTISSA).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector kf = ix.lanewise(VectorOperators.ASHR, 23).add(ROUND_BITS).reinterpretAsFloats().sub(ROUND);
            FloatVector z = f.mul(f);
            FloatVector q = f.fma(L8, L7).fma(f, V_L6).fma(f, V_L5).fma(f, V_L4).fma(f, V_L3).fma(f, V_L2)
                    .fma(f, V_L1).fma(f, V_L0).mul(f.mul(z));
            q = z.fma(V_NEG_HALF, kf.fma(V_LN2_LO, q));
            FloatVector log1p = kf.fma(V_LN2_HI, f.add(q)).add(lost);
            v.max(0f).add(log1p).intoArray(y, yOff + i);
        }
    }

    /** y = elu(x, alpha, scale) = scale·(x &gt; 0 ? x : alpha·(eˣ − 1)). */
    static void eluLoop(float[] x, int xOff, float[] y, int yOff, int bound, float alpha, float scale) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // expm1(v)
            FloatVector xc = v.max(EXPM1_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector pm1 = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r);
            FloatVector s = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector em1 = s.fma(pm1, s.sub(1f))
                    .blend(pm1.add(1f).mul(2f).mul(0x1p127f), t.compare(VectorOperators.EQ, ROUND_128));
            v.blend(em1.mul(alpha), v.compare(VectorOperators.LE, 0f)).mul(scale).intoArray(y, yOff + i);
        }
    }

    /** y = tanh(x). */
    static void tanhLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            // expm1(−2|v|)
            FloatVector xc = v.abs().mul(-2f).max(EXPM1_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector pm1 = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r);
            FloatVector s = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector m = s.fma(pm1, s.sub(1f))
                    .blend(pm1.add(1f).mul(2f).mul(0x1p127f), t.compare(VectorOperators.EQ, ROUND_128));
            // tanh
            m.div(m.add(2f)).abs().reinterpretAsInts().or(v.reinterpretAsInts().and(SIGN)).reinterpretAsFloats()
                    .intoArray(y, yOff + i);
        }
    }

    /** y = gelu(x). */
    static void geluLoop(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = v.abs().mul(INV_SQRT2);
            // erfcOfNonNegative(a): the fit, then the series
            FloatVector tf = ONE.div(a.fma(0.5f, 1f));
            FloatVector xc = a.neg().fma(a, tf.fma(C9, C8).fma(tf, V_C7).fma(tf, V_C6).fma(tf, V_C5).fma(tf, V_C4)
                    .fma(tf, V_C3).fma(tf, V_C2).fma(tf, V_C1).fma(tf, V_C0)).max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector fit = tf.mul(p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()));
            FloatVector z = a.mul(a);
            FloatVector series = ONE.sub(z.fma(E7, E6).fma(z, V_E5).fma(z, V_E4).fma(z, V_E3).fma(z, V_E2)
                    .fma(z, V_E1).fma(z, V_E0).mul(a));
            FloatVector half = fit.blend(series, a.compare(VectorOperators.LT, ERF_SERIES_MAX)).mul(0.5f);
            // gelu
            ONE.sub(half).blend(half, v.compare(VectorOperators.LT, 0f)).mul(v).intoArray(y, yOff + i);
        }
    }

    /** dx = gelu'(x)·dy. */
    static void geluBackwardLoop(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = v.abs().mul(INV_SQRT2);
            // erfcOfNonNegative(a): the fit, then the series
            FloatVector tf = ONE.div(a.fma(0.5f, 1f));
            FloatVector xc = a.neg().fma(a, tf.fma(C9, C8).fma(tf, V_C7).fma(tf, V_C6).fma(tf, V_C5).fma(tf, V_C4)
                    .fma(tf, V_C3).fma(tf, V_C2).fma(tf, V_C1).fma(tf, V_C0)).max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector fit = tf.mul(p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()));
            FloatVector z = a.mul(a);
            FloatVector series = ONE.sub(z.fma(E7, E6).fma(z, V_E5).fma(z, V_E4).fma(z, V_E3).fma(z, V_E2)
                    .fma(z, V_E1).fma(z, V_E0).mul(a));
            FloatVector half = fit.blend(series, a.compare(VectorOperators.LT, ERF_SERIES_MAX)).mul(0.5f);
            FloatVector cdf = ONE.sub(half).blend(half, v.compare(VectorOperators.LT, 0f));
            // exp(−v²/2)
            xc = v.mul(v).mul(-0.5f).max(EXP_MIN).min(EXP_MAX);
            t = xc.fma(LOG2E, ROUND);
            n = t.sub(ROUND);
            r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            ni = t.reinterpretAsInts().sub(ROUND_BITS);
            n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector pdf = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(INV_SQRT_2PI);
            v.fma(pdf, cdf).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    /**
     * y = e^(x − shift) over [0, bound), y skipped when null, and the vector of lane sums written
     * to {@code lanes} (softmax and log-sum-exp add them up in a fixed order).
     */
    static void expShiftedLoop(float[] x, int xOff, float shift, float[] y, int yOff, int bound, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(shift);
            // exp(v)
            FloatVector xc = v.max(EXP_MIN).min(EXP_MAX);
            FloatVector t = xc.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = n.fma(V_NEG_LN2_HI, xc);
            r = n.fma(V_NEG_LN2_LO, r);
            FloatVector p = r.fma(P5, P4).fma(r, V_P3).fma(r, V_P2).fma(r, V_P1).fma(r, V_P0).fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            if (y != null) {
                e.intoArray(y, yOff + i);
            }
            acc = acc.add(e);
        }
        acc.intoArray(lanes, 0);
    }
}
