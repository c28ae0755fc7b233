package dev.lamina.cpu.vector;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.UnaryOp;
import dev.lamina.cpu.ops.ElementKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the hot element-wise loops. Each method runs whole vectors over the bulk
 * of the range and hands the last few elements to the portable method it overrides. The
 * transcendental functions use the Vector API's own (EXP, TANH, EXPM1, LOG1P; HotSpot compiles
 * them to short-vector math routines); GELU's erf, which the Vector API lacks, uses
 * {@link #erfc}. Ops not overridden here are inherited from the portable class.
 */
public final class VectorElementKernels extends ElementKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float SELU_ALPHA = (float) ActivationKind.SELU_ALPHA;
    private static final float SELU_SCALE = (float) ActivationKind.SELU_SCALE;
    private static final float LEAKY_SLOPE = (float) ActivationKind.LEAKY_RELU_SLOPE;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

    @Override
    public String describe() {
        return "Vector API (" + S.vectorBitSize() + "-bit)";
    }

    @Override
    public void axpby(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        FloatVector alphas = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
            }
        } else if (beta == 1f) {
            for (; i < bound; i += S.length()) {
                FloatVector.fromArray(S, x, xOff + i).fma(alphas, FloatVector.fromArray(S, y, yOff + i))
                        .intoArray(y, yOff + i);
            }
        } else {
            for (; i < bound; i += S.length()) {
                FloatVector yv = FloatVector.fromArray(S, y, yOff + i).mul(beta);
                FloatVector.fromArray(S, x, xOff + i).fma(alphas, yv).intoArray(y, yOff + i);
            }
        }
        super.axpby(alpha, x, xOff + i, beta, y, yOff + i, len - i);
    }

    @Override
    public void affine(float[] x, int xOff, float alpha, float beta, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).fma(alpha, beta).intoArray(y, yOff + i);
        }
        super.affine(x, xOff + i, alpha, beta, y, yOff + i, len - i);
    }

    @Override
    public void addBias(float[] x, int xOff, float[] bias, int bOff, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, bias, bOff + i)).intoArray(y, yOff + i);
        }
        super.addBias(x, xOff + i, bias, bOff + i, y, yOff + i, len - i);
    }

    @Override
    public void accumulate(float[] x, int xOff, float[] acc, int accOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, acc, accOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(acc, accOff + i);
        }
        super.accumulate(x, xOff + i, acc, accOff + i, len - i);
    }

    @Override
    public void clamp(float[] x, int xOff, float lo, float hi, float[] y, int yOff, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).max(lo).min(hi).intoArray(y, yOff + i);
        }
        super.clamp(x, xOff + i, lo, hi, y, yOff + i, len - i);
    }

    @Override
    public void scale(float[] x, int off, float factor, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        }
        super.scale(x, off + i, factor, len - i);
    }

    @Override
    public float sum(float[] x, int off, int len) {
        // two accumulators halve the dependency chain; lanes are summed in float, then the tail in double
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = acc0;
        int i = 0;
        int step = S.length();
        for (int bound = S.loopBound(len) - step; i < bound; i += 2 * step) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, x, off + i + step));
        }
        for (int bound = S.loopBound(len); i < bound; i += step) {
            acc0 = acc0.add(FloatVector.fromArray(S, x, off + i));
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) + super.sum(x, off + i, len - i);
    }

    @Override
    public float max(float[] x, int off, int len) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            acc = acc.max(FloatVector.fromArray(S, x, off + i));
        }
        return Math.max(acc.reduceLanes(VectorOperators.MAX), super.max(x, off + i, len - i));
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD) + super.dot(a, aOff + i, b, bOff + i, len - i);
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        switch (op) {
            case NEG:
            case ABS:
            case SQUARE:
            case SQRT:
            case EXP:
            case LOG:
            case RECIPROCAL:
                for (; i < bound; i += S.length()) {
                    unary(op, FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
                }
                break;
            default:
                break;
        }
        super.unary(op, x, xOff + i, y, yOff + i, len - i);
    }

    private static FloatVector unary(UnaryOp op, FloatVector v) {
        switch (op) {
            case NEG: return v.neg();
            case ABS: return v.abs();
            case SQUARE: return v.mul(v);
            case SQRT: return v.sqrt();
            case EXP: return v.lanewise(VectorOperators.EXP);
            case LOG: return v.lanewise(VectorOperators.LOG);
            case RECIPROCAL: return FloatVector.broadcast(S, 1f).div(v);
            default: throw new AssertionError(op);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        switch (op) {
            case ADD:
            case SUB:
            case MUL:
            case DIV:
                for (; i < bound; i += S.length()) {
                    FloatVector va = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector vb = FloatVector.fromArray(S, b, bOff + i);
                    FloatVector r = op == BinaryOp.ADD ? va.add(vb) : op == BinaryOp.SUB ? va.sub(vb)
                            : op == BinaryOp.MUL ? va.mul(vb) : va.div(vb);
                    r.intoArray(out, oOff + i);
                }
                break;
            default:
                break;
        }
        super.binary(op, a, aOff + i, b, bOff + i, out, oOff + i, len - i);
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activate(ActivationKind kind, float[] x, int xOff, float[] y, int yOff, int len) {
        if (kind == ActivationKind.LINEAR || kind == ActivationKind.SOFTMAX) {
            super.activate(kind, x, xOff, y, yOff, len);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            forward(kind, FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        super.activate(kind, x, xOff + i, y, yOff + i, len - i);
    }

    private static FloatVector forward(ActivationKind kind, FloatVector x) {
        switch (kind) {
            case RELU:
                return x.max(0f);
            case LEAKY_RELU:
                return x.max(x.mul(LEAKY_SLOPE));
            case SIGMOID:
                return sigmoid(x);
            case TANH:
                return x.lanewise(VectorOperators.TANH);
            case ELU:
                return x.blend(x.lanewise(VectorOperators.EXPM1), x.compare(VectorOperators.LE, 0f));
            case SELU:
                return x.blend(x.lanewise(VectorOperators.EXPM1).mul(SELU_ALPHA), x.compare(VectorOperators.LE, 0f))
                        .mul(SELU_SCALE);
            case SWISH:
                return x.mul(sigmoid(x));
            case SOFTPLUS:
                return x.max(0f).add(x.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
            case GELU: {
                // 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2): for x < 0 directly, else x − 0.5·x·erfc(x/√2)
                FloatVector halfX = x.mul(0.5f);
                FloatVector tail = halfX.mul(erfc(x.abs().mul(INV_SQRT2)));
                return x.sub(tail).blend(tail, x.compare(VectorOperators.LT, 0f));
            }
            default:
                throw new AssertionError(kind);
        }
    }

    @Override
    public void activateBackward(ActivationKind kind, float[] x, int xOff, float[] y, int yOff,
                                 float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        if (kind == ActivationKind.LINEAR || kind == ActivationKind.SOFTMAX) {
            super.activateBackward(kind, x, xOff, y, yOff, dy, dyOff, dx, dxOff, len);
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            FloatVector dyv = FloatVector.fromArray(S, dy, dyOff + i);
            derivative(kind, xv, yv).mul(dyv).intoArray(dx, dxOff + i);
        }
        super.activateBackward(kind, x, xOff + i, y, yOff + i, dy, dyOff + i, dx, dxOff + i, len - i);
    }

    private static FloatVector derivative(ActivationKind kind, FloatVector x, FloatVector y) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> positive = x.compare(VectorOperators.GT, 0f);
        switch (kind) {
            case RELU:
                return FloatVector.zero(S).blend(one, positive);
            case LEAKY_RELU:
                return FloatVector.broadcast(S, LEAKY_SLOPE).blend(one, positive);
            case SIGMOID:
                return y.mul(one.sub(y));
            case TANH:
                return one.sub(y.mul(y));
            case ELU:
                return y.add(1f).blend(one, positive);
            case SELU:
                return y.add(SELU_SCALE * SELU_ALPHA).blend(FloatVector.broadcast(S, SELU_SCALE), positive);
            case SWISH: {
                FloatVector s = sigmoid(x);
                return s.add(x.mul(s).mul(one.sub(s)));
            }
            case SOFTPLUS:
                return sigmoid(x);
            case GELU: {
                // Φ(x) + x·φ(x), with Φ(x) = 0.5·erfc(−x/√2) and φ(x) = e^(−x²/2)/√(2π)
                FloatVector half = erfc(x.abs().mul(INV_SQRT2)).mul(0.5f);
                FloatVector cdf = one.sub(half).blend(half, x.compare(VectorOperators.LT, 0f));
                FloatVector pdf = x.mul(x).mul(-0.5f).lanewise(VectorOperators.EXP).mul(INV_SQRT_2PI);
                return cdf.add(x.mul(pdf));
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /** 1/(1 + e^−x); e^−x overflows to infinity for x below about −88, giving 0 as it should. */
    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /**
     * erfc(a) for a ≥ 0 by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), written as
     * erfc = poly(t)·e^(−a²) so that it keeps its relative precision where erfc is small.
     */
    static FloatVector erfc(FloatVector a) {
        FloatVector t = FloatVector.broadcast(S, 1f).div(a.fma(0.3275911f, 1f));
        FloatVector poly = t.fma(1.061405429f, -1.453152027f)
                .fma(t, FloatVector.broadcast(S, 1.421413741f))
                .fma(t, FloatVector.broadcast(S, -0.284496736f))
                .fma(t, FloatVector.broadcast(S, 0.254829592f))
                .mul(t);
        return poly.mul(a.mul(a).neg().lanewise(VectorOperators.EXP));
    }

    // ---------------------------------------------------------------- rows

    @Override
    public void softmaxRow(float[] x, int xOff, float[] y, int yOff, int len) {
        float max = max(x, xOff, len);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, xOff + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(y, yOff + i);
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float e = (float) Math.exp(x[xOff + i] - max);
            y[yOff + i] = e;
            sum += e;
        }
        scale(y, yOff, (float) (1 / sum), len);
    }

    @Override
    public float logSumExpRow(float[] x, int off, int len) {
        float max = max(x, off, len);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i).sub(max).lanewise(VectorOperators.EXP));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            sum += Math.exp(x[off + i] - max);
        }
        return (float) (max + Math.log(sum));
    }

    @Override
    public void softmaxBackwardRow(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        float dot = dot(dy, dyOff, y, yOff, len);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += S.length()) {
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            yv.mul(FloatVector.fromArray(S, dy, dyOff + i).sub(dot)).intoArray(dx, dxOff + i);
        }
        for (; i < len; i++) {
            dx[dxOff + i] = y[yOff + i] * (dy[dyOff + i] - dot);
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float decay, float lrT,
                     float beta1, float beta2, float epsilon) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector mv = FloatVector.fromArray(S, m, i).mul(beta1).add(gv.mul(oneMinusBeta1));
            FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gv.mul(gv).mul(oneMinusBeta2));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector step = mv.div(vv.sqrt().add(epsilon)).mul(lrT);
            FloatVector.fromArray(S, w, i).mul(decay).sub(step).intoArray(w, i);
        }
        super.adam(w, g, m, v, i, to, decay, lrT, beta1, beta2, epsilon);
    }

    @Override
    public void sgdMomentum(float[] w, float[] g, float[] velocity, int from, int to, float lr, float momentum,
                            boolean nesterov) {
        int i = from;
        for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            FloatVector gv = FloatVector.fromArray(S, g, i);
            FloatVector vv = FloatVector.fromArray(S, velocity, i).mul(momentum).sub(gv.mul(lr));
            vv.intoArray(velocity, i);
            FloatVector delta = nesterov ? vv.mul(momentum).sub(gv.mul(lr)) : vv;
            FloatVector.fromArray(S, w, i).add(delta).intoArray(w, i);
        }
        super.sgdMomentum(w, g, velocity, i, to, lr, momentum, nesterov);
    }
}
