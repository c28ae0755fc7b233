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
 * of the range and hands the last few elements to scalar code that computes the same bits.
 *
 * <p>The transcendental functions (exp, log, tanh, erf, and the activations, softmax and
 * log-sum-exp built on them) come by default from {@link DeterministicMath}, which uses only
 * exactly rounded operations and so gives the same bits interpreted or compiled, in a vector lane
 * or in the scalar tail; its scalar twins compute the tails. With {@code -Dlamina.cpu.fastmath=true}
 * they use the Vector API's own EXP, TANH, EXPM1, LOG and LOG1P instead (HotSpot compiles them to
 * short-vector math routines), a little faster, but their last bits then depend on whether the JIT
 * has compiled the loop yet, and the tails use the portable code. Ops not overridden here are
 * inherited from the portable class.
 *
 * <p>Each kernel loop is a method of its own with the switch outside it, and no loop passes a vector
 * to a method other than the Vector API's own: C2 does not always inline such a call, and a vector
 * crossing a call that is not inlined is boxed, which allocates on every element block. The
 * deterministic loops are in {@code DeterministicMath}, the math written out in each;
 * {@code SteadyStateAllocationTest} checks every activation for allocations.
 */
public final class VectorElementKernels extends ElementKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float SELU_ALPHA = (float) ActivationKind.SELU_ALPHA;
    private static final float SELU_SCALE = (float) ActivationKind.SELU_SCALE;
    private static final float LEAKY_SLOPE = (float) ActivationKind.LEAKY_RELU_SLOPE;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    // fast math's GELU: erfc(a) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−a²), t = 1/(1 + p·a),
    // a ≥ 0: Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7
    private static final FloatVector ERFC_P = FloatVector.broadcast(S, 0.3275911f);
    private static final FloatVector ERFC_A1 = FloatVector.broadcast(S, 0.254829592f);
    private static final FloatVector ERFC_A2 = FloatVector.broadcast(S, -0.284496736f);
    private static final FloatVector ERFC_A3 = FloatVector.broadcast(S, 1.421413741f);
    private static final FloatVector ERFC_A4 = FloatVector.broadcast(S, -1.453152027f);
    private static final FloatVector ERFC_A5 = FloatVector.broadcast(S, 1.061405429f);

    /**
     * Where a sum's vector of partial sums is added up, lane by lane in a fixed order: the Vector
     * API's own {@code reduceLanes(ADD)} may add in a different order once compiled than while
     * interpreted, and training must give the same bits whatever the JIT has done so far.
     */
    private final ThreadLocal<float[]> lanes = ThreadLocal.withInitial(() -> new float[S.length()]);

    /**
     * Whether exp, tanh, expm1, log and log1p may use the Vector API's own math
     * ({@code -Dlamina.cpu.fastmath=true}). Off by default: HotSpot computes those with different
     * routines before and after it compiles a loop, so results would depend in their last bits on
     * how warm the JIT is, and a seeded training run would not repeat bit for bit. Without it the
     * activations that need them (sigmoid, tanh, elu, selu, swish, softplus, gelu), softmax,
     * log-sum-exp and the EXP and LOG ops use {@link DeterministicMath}, vectorised as well.
     */
    private final boolean fastMath = Boolean.getBoolean(FAST_MATH_PROPERTY);

    public static final String FAST_MATH_PROPERTY = "lamina.cpu.fastmath";

    @Override
    public String describe() {
        return "Vector API (" + S.vectorBitSize() + "-bit" + (fastMath ? ", fast math" : "") + ")";
    }

    /** True for the activations computed with exp, tanh or erf. */
    private static boolean transcendental(ActivationKind kind) {
        return kind != ActivationKind.RELU && kind != ActivationKind.LEAKY_RELU && kind != ActivationKind.LINEAR
                && kind != ActivationKind.SOFTMAX;
    }

    private static double sumInOrder(float[] lanes) {
        double sum = 0;
        for (float lane : lanes) {
            sum += lane;
        }
        return sum;
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
        float[] l = lanes.get();
        acc0.add(acc1).intoArray(l, 0);
        return (float) (sumInOrder(l) + super.sum(x, off + i, len - i));
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
        float[] l = lanes.get();
        acc.intoArray(l, 0);
        return (float) (sumInOrder(l) + super.dot(a, aOff + i, b, bOff + i, len - i));
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        int step = S.length();
        switch (op) {
            case NEG:
                for (; i < bound; i += step) {
                    FloatVector.fromArray(S, x, xOff + i).neg().intoArray(y, yOff + i);
                }
                break;
            case ABS:
                for (; i < bound; i += step) {
                    FloatVector.fromArray(S, x, xOff + i).abs().intoArray(y, yOff + i);
                }
                break;
            case SQUARE:
                for (; i < bound; i += step) {
                    FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                    v.mul(v).intoArray(y, yOff + i);
                }
                break;
            case SQRT:
                for (; i < bound; i += step) {
                    FloatVector.fromArray(S, x, xOff + i).sqrt().intoArray(y, yOff + i);
                }
                break;
            case EXP:
                if (fastMath) {
                    for (; i < bound; i += step) {
                        FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.EXP).intoArray(y, yOff + i);
                    }
                    break;
                }
                DeterministicMath.expLoop(x, xOff, y, yOff, bound);
                for (i = bound; i < len; i++) {
                    y[yOff + i] = DeterministicMath.exp(x[xOff + i]);
                }
                return;
            case LOG:
                if (fastMath) {
                    for (; i < bound; i += step) {
                        FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.LOG).intoArray(y, yOff + i);
                    }
                    break;
                }
                DeterministicMath.logLoop(x, xOff, y, yOff, bound);
                for (i = bound; i < len; i++) {
                    y[yOff + i] = DeterministicMath.log(x[xOff + i]);
                }
                return;
            default:
                break;
        }
        super.unary(op, x, xOff + i, y, yOff + i, len - i);
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

    // Each activation gets a loop of its own with the switch outside it: a shared per-vector helper
    // with a switch inside grows too big for C2 to inline, and a vector passed to a method that is
    // not inlined is boxed, allocating on every call.

    @Override
    public void activate(ActivationKind kind, float[] x, int xOff, float[] y, int yOff, int len) {
        if (!kind.elementWise() || kind == ActivationKind.LINEAR) {
            super.activate(kind, x, xOff, y, yOff, len);
            return;
        }
        int bound = S.loopBound(len);
        if (fastMath) {
            switch (kind) {
                case RELU: reluForward(x, xOff, y, yOff, bound); break;
                case LEAKY_RELU: leakyReluForward(x, xOff, y, yOff, bound); break;
                case SIGMOID: sigmoidForward(x, xOff, y, yOff, bound); break;
                case TANH: tanhForward(x, xOff, y, yOff, bound); break;
                case ELU: eluForward(x, xOff, y, yOff, bound, 1f, 1f); break;
                case SELU: eluForward(x, xOff, y, yOff, bound, SELU_ALPHA, SELU_SCALE); break;
                case SWISH: swishForward(x, xOff, y, yOff, bound); break;
                case SOFTPLUS: softplusForward(x, xOff, y, yOff, bound); break;
                case GELU: geluForward(x, xOff, y, yOff, bound); break;
                default: throw new IllegalArgumentException(kind.toString());
            }
            if (transcendental(kind)) { // the portable code's Math
                super.activate(kind, x, xOff + bound, y, yOff + bound, len - bound);
                return;
            }
        } else {
            switch (kind) {
                case RELU: reluForward(x, xOff, y, yOff, bound); break;
                case LEAKY_RELU: leakyReluForward(x, xOff, y, yOff, bound); break;
                case SIGMOID: DeterministicMath.sigmoidLoop(x, xOff, y, yOff, bound); break;
                case TANH: DeterministicMath.tanhLoop(x, xOff, y, yOff, bound); break;
                case ELU: DeterministicMath.eluLoop(x, xOff, y, yOff, bound, 1f, 1f); break;
                case SELU: DeterministicMath.eluLoop(x, xOff, y, yOff, bound, SELU_ALPHA, SELU_SCALE); break;
                case SWISH: DeterministicMath.swishLoop(x, xOff, y, yOff, bound); break;
                case SOFTPLUS: DeterministicMath.softplusLoop(x, xOff, y, yOff, bound); break;
                case GELU: DeterministicMath.geluLoop(x, xOff, y, yOff, bound); break;
                default: throw new IllegalArgumentException(kind.toString());
            }
        }
        for (int i = bound; i < len; i++) {
            y[yOff + i] = activation(kind, x[xOff + i]);
        }
    }

    /** f(x) for one element, with the same bits as the vector loops' lanes. */
    static float activation(ActivationKind kind, float x) {
        switch (kind) {
            case RELU: return Math.max(x, 0f);
            case LEAKY_RELU: return Math.max(x, x * LEAKY_SLOPE);
            case SIGMOID: return DeterministicMath.sigmoid(x);
            case TANH: return DeterministicMath.tanh(x);
            case ELU: return DeterministicMath.elu(x, 1f, 1f);
            case SELU: return DeterministicMath.elu(x, SELU_ALPHA, SELU_SCALE);
            case SWISH: return DeterministicMath.swish(x);
            case SOFTPLUS: return DeterministicMath.softplus(x);
            case GELU: return DeterministicMath.gelu(x);
            default: throw new IllegalArgumentException(kind.toString());
        }
    }

    // the Vector API's own math (-Dlamina.cpu.fastmath=true)

    private static void reluForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
    }

    private static void leakyReluForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.max(v.mul(LEAKY_SLOPE)).intoArray(y, yOff + i);
        }
    }

    private static void sigmoidForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            ONE.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, yOff + i);
        }
    }

    private static void tanhForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(y, yOff + i);
        }
    }

    /** scale·(x > 0 ? x : alpha·(eˣ − 1)): ELU with (1, 1), SELU with its constants. */
    private static void eluForward(float[] x, int xOff, float[] y, int yOff, int bound, float alpha, float scale) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(v.lanewise(VectorOperators.EXPM1).mul(alpha), v.compare(VectorOperators.LE, 0f))
                    .mul(scale).intoArray(y, yOff + i);
        }
    }

    private static void swishForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.mul(ONE.div(v.neg().lanewise(VectorOperators.EXP).add(1f))).intoArray(y, yOff + i);
        }
    }

    /** max(x, 0) + log(1 + e^−|x|), which neither overflows nor loses small values. */
    private static void softplusForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.max(0f).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P))
                    .intoArray(y, yOff + i);
        }
    }

    /** 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2): for x &lt; 0 directly, else x − 0.5·x·erfc(x/√2). */
    private static void geluForward(float[] x, int xOff, float[] y, int yOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = v.abs().mul(INV_SQRT2);
            FloatVector t = ONE.div(a.fma(ERFC_P, ONE));
            FloatVector erfc = t.fma(ERFC_A5, ERFC_A4).fma(t, ERFC_A3).fma(t, ERFC_A2).fma(t, ERFC_A1).mul(t)
                    .mul(a.mul(a).neg().lanewise(VectorOperators.EXP));
            FloatVector tail = v.mul(0.5f).mul(erfc);
            v.sub(tail).blend(tail, v.compare(VectorOperators.LT, 0f)).intoArray(y, yOff + i);
        }
    }

    @Override
    public void activateBackward(ActivationKind kind, float[] x, int xOff, float[] y, int yOff,
                                 float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        if (!kind.elementWise() || kind == ActivationKind.LINEAR) {
            super.activateBackward(kind, x, xOff, y, yOff, dy, dyOff, dx, dxOff, len);
            return;
        }
        int bound = S.loopBound(len);
        switch (kind) {
            case RELU: stepBackward(x, xOff, dy, dyOff, dx, dxOff, bound, 0f); break;
            case LEAKY_RELU: stepBackward(x, xOff, dy, dyOff, dx, dxOff, bound, LEAKY_SLOPE); break;
            case SIGMOID: sigmoidBackward(y, yOff, dy, dyOff, dx, dxOff, bound); break;
            case TANH: tanhBackward(y, yOff, dy, dyOff, dx, dxOff, bound); break;
            case ELU: eluBackward(x, xOff, y, yOff, dy, dyOff, dx, dxOff, bound, 1f, 1f); break;
            case SELU: eluBackward(x, xOff, y, yOff, dy, dyOff, dx, dxOff, bound, SELU_ALPHA, SELU_SCALE); break;
            case SWISH:
                if (fastMath) {
                    swishBackward(x, xOff, dy, dyOff, dx, dxOff, bound);
                } else {
                    DeterministicMath.swishBackwardLoop(x, xOff, dy, dyOff, dx, dxOff, bound);
                }
                break;
            case SOFTPLUS:
                if (fastMath) {
                    softplusBackward(x, xOff, dy, dyOff, dx, dxOff, bound);
                } else {
                    DeterministicMath.sigmoidTimesLoop(x, xOff, dy, dyOff, dx, dxOff, bound);
                }
                break;
            case GELU:
                if (fastMath) {
                    geluBackward(x, xOff, dy, dyOff, dx, dxOff, bound);
                } else {
                    DeterministicMath.geluBackwardLoop(x, xOff, dy, dyOff, dx, dxOff, bound);
                }
                break;
            default: throw new IllegalArgumentException(kind.toString());
        }
        boolean ofX = kind == ActivationKind.SWISH || kind == ActivationKind.SOFTPLUS || kind == ActivationKind.GELU;
        if (fastMath && ofX) { // the portable code's Math
            super.activateBackward(kind, x, xOff + bound, y, yOff + bound, dy, dyOff + bound, dx, dxOff + bound,
                    len - bound);
            return;
        }
        for (int i = bound; i < len; i++) {
            dx[dxOff + i] = gradient(kind, x[xOff + i], y[yOff + i], dy[dyOff + i]);
        }
    }

    /** f'(x)·dy for one element, given y = f(x), with the same bits as the vector loops' lanes. */
    static float gradient(ActivationKind kind, float x, float y, float dy) {
        switch (kind) {
            case RELU: return x > 0f ? dy : dy * 0f;
            case LEAKY_RELU: return x > 0f ? dy : dy * LEAKY_SLOPE;
            case SIGMOID: return y * (1f - y) * dy;
            case TANH: return (1f - y * y) * dy;
            case ELU: return (x > 0f ? 1f : y + 1f) * dy;
            case SELU: return (x > 0f ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA) * dy;
            case SWISH: return DeterministicMath.swishDerivative(x) * dy;
            case SOFTPLUS: return DeterministicMath.sigmoid(x) * dy;
            case GELU: return DeterministicMath.geluDerivative(x) * dy;
            default: throw new IllegalArgumentException(kind.toString());
        }
    }

    /** dx = dy where x &gt; 0, else slope·dy (ReLU with slope 0, leaky ReLU). */
    private static void stepBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound,
                                     float slope) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            VectorMask<Float> positive = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            g.mul(slope).blend(g, positive).intoArray(dx, dxOff + i);
        }
    }

    private static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector s = FloatVector.fromArray(S, y, yOff + i);
            s.mul(s.neg().add(1f)).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    private static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            t.mul(t).neg().add(1f).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    /** f' = scale for x &gt; 0, else y + scale·alpha (y = f(x)). */
    private static void eluBackward(float[] x, int xOff, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                                    int dxOff, int bound, float alpha, float scale) {
        for (int i = 0; i < bound; i += S.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector slope = FloatVector.fromArray(S, y, yOff + i).add(scale * alpha)
                    .blend(FloatVector.broadcast(S, scale), positive);
            slope.mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    private static void swishBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector s = ONE.div(v.neg().lanewise(VectorOperators.EXP).add(1f));
            s.add(v.mul(s).mul(s.neg().add(1f))).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    private static void softplusBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            ONE.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(S, dy, dyOff + i))
                    .intoArray(dx, dxOff + i);
        }
    }

    /** Φ(x) + x·φ(x), with Φ(x) = 0.5·erfc(−x/√2) and φ(x) = e^(−x²/2)/√(2π). */
    private static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            FloatVector a = v.abs().mul(INV_SQRT2);
            FloatVector t = ONE.div(a.fma(ERFC_P, ONE));
            FloatVector erfcTimesExp = t.fma(ERFC_A5, ERFC_A4).fma(t, ERFC_A3).fma(t, ERFC_A2).fma(t, ERFC_A1).mul(t);
            FloatVector gauss = a.mul(a).neg().lanewise(VectorOperators.EXP); // e^(−x²/2)
            FloatVector half = erfcTimesExp.mul(gauss).mul(0.5f);
            FloatVector cdf = half.neg().add(1f).blend(half, v.compare(VectorOperators.LT, 0f));
            FloatVector pdf = gauss.mul(INV_SQRT_2PI);
            cdf.add(v.mul(pdf)).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dx, dxOff + i);
        }
    }

    // ---------------------------------------------------------------- rows

    @Override
    public void softmaxRow(float[] x, int xOff, float[] y, int yOff, int len) {
        float max = max(x, xOff, len);
        int i = 0;
        int bound = S.loopBound(len);
        float[] l = lanes.get();
        if (fastMath) {
            FloatVector acc = FloatVector.zero(S);
            for (; i < bound; i += S.length()) {
                FloatVector e = FloatVector.fromArray(S, x, xOff + i).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(y, yOff + i);
                acc = acc.add(e);
            }
            acc.intoArray(l, 0);
        } else {
            DeterministicMath.expShiftedLoop(x, xOff, max, y, yOff, bound, l);
            i = bound;
        }
        double sum = sumInOrder(l);
        for (; i < len; i++) {
            float d = x[xOff + i] - max;
            float e = fastMath ? (float) Math.exp(d) : DeterministicMath.exp(d);
            y[yOff + i] = e;
            sum += e;
        }
        scale(y, yOff, (float) (1 / sum), len);
    }

    @Override
    public float logSumExpRow(float[] x, int off, int len) {
        float max = max(x, off, len);
        int i = 0;
        int bound = S.loopBound(len);
        float[] l = lanes.get();
        if (fastMath) {
            FloatVector acc = FloatVector.zero(S);
            for (; i < bound; i += S.length()) {
                acc = acc.add(FloatVector.fromArray(S, x, off + i).sub(max).lanewise(VectorOperators.EXP));
            }
            acc.intoArray(l, 0);
        } else {
            DeterministicMath.expShiftedLoop(x, off, max, null, 0, bound, l);
            i = bound;
        }
        double sum = sumInOrder(l);
        for (; i < len; i++) {
            float d = x[off + i] - max;
            sum += fastMath ? Math.exp(d) : DeterministicMath.exp(d);
        }
        // once per row, so Math.log: the same bits whatever the JIT has done
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
