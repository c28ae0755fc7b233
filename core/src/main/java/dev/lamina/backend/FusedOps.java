package dev.lamina.backend;

/**
 * The one home of the math of Lamina's fused ops, written with {@link Backend}'s primitives. These
 * are the default implementations of the fused methods of {@link Backend}; a backend that
 * overrides one is checked against these by the conformance suite.
 */
public final class FusedOps {
    private FusedOps() {
    }

    public static void denseForward(Backend b, Storage x, Storage kernel, Storage bias, ActivationKind activation,
                                    int rows, int in, int out, Storage z, Storage y) {
        b.gemm(false, false, rows, out, in, 1f, x, kernel, 0f, z);
        b.biasAdd(z, bias, rows, out, z);
        if (activation != ActivationKind.LINEAR) {
            b.activationForward(activation, z, y, rows, out);
        } else if (z != y) {
            b.copy(z, 0, y, 0, (long) rows * out);
        }
    }

    public static void denseBackward(Backend b, Storage x, Storage kernel, ActivationKind activation,
                                     Storage z, Storage y, Storage dy, int rows, int in, int out,
                                     Storage dz, Storage dKernel, Storage dBias, Storage dx) {
        if (activation != ActivationKind.LINEAR) {
            b.activationBackward(activation, z, y, dy, dz, rows, out);
        } else if (dz != dy) {
            b.copy(dy, 0, dz, 0, (long) rows * out);
        }
        b.gemm(true, false, in, out, rows, 1f, x, dz, 0f, dKernel);
        b.biasGradient(dz, rows, out, dBias);
        if (dx != null) {
            b.gemm(false, true, rows, in, out, 1f, dz, kernel, 0f, dx);
        }
    }

    /** {@code out[i][j] = v[i]} (rows×cols), by a rank-1 product with a row of ones. */
    private static void broadcastRows(Backend b, Storage v, int rows, int cols, Storage out, Storage ones) {
        b.fill(ones, 0, cols, 1f);
        b.gemm(false, false, rows, cols, 1, 1f, v, ones, 0f, out);
    }

    public static void loss(Backend b, LossKind kind, Storage pred, Storage target, int rows, int cols, float param,
                            Storage grad, Storage lossOut, int lossIndex, Scratch scratch) {
        int n = rows * cols;
        float perElement = 1f / n;
        float perRow = 1f / rows;
        Storage s0 = scratch.get(0, n);
        Storage s1 = scratch.get(1, n);
        switch (kind) {
            case MEAN_SQUARED_ERROR: {
                b.binary(BinaryOp.SUB, pred, target, s0, n);
                b.unary(UnaryOp.SQUARE, s0, s1, n);
                b.sum(s1, n, perElement, lossOut, lossIndex, false);
                b.affine(s0, 2f * perElement, 0f, grad, n);
                return;
            }
            case MEAN_ABSOLUTE_ERROR: {
                b.binary(BinaryOp.SUB, pred, target, s0, n);
                b.unary(UnaryOp.ABS, s0, s1, n);
                b.sum(s1, n, perElement, lossOut, lossIndex, false);
                b.unary(UnaryOp.SIGN, s0, grad, n);
                b.affine(grad, perElement, 0f, grad, n);
                return;
            }
            case HUBER: {
                // loss = 0.5·q² + δ·(|d| − q) with q = min(|d|, δ); gradient clamp(d, −δ, δ)
                float delta = param;
                Storage s2 = scratch.get(2, n);
                b.binary(BinaryOp.SUB, pred, target, s0, n);
                b.unary(UnaryOp.ABS, s0, s1, n);
                b.clamp(s1, 0f, delta, s2, n);
                b.binary(BinaryOp.SUB, s1, s2, s1, n);
                b.sum(s1, n, delta * perElement, lossOut, lossIndex, false);
                b.unary(UnaryOp.SQUARE, s2, s2, n);
                b.sum(s2, n, 0.5f * perElement, lossOut, lossIndex, true);
                b.clamp(s0, -delta, delta, grad, n);
                b.affine(grad, perElement, 0f, grad, n);
                return;
            }
            case BINARY_CROSSENTROPY: {
                float eps = LossKind.EPSILON;
                Storage s2 = scratch.get(2, n);
                Storage p = s0;
                b.clamp(pred, eps, 1f - eps, p, n);
                // loss = −mean(y·log p + (1 − y)·log(1 − p))
                b.unary(UnaryOp.LOG, p, s1, n);
                b.binary(BinaryOp.MUL, target, s1, s1, n);
                b.sum(s1, n, -perElement, lossOut, lossIndex, false);
                b.affine(p, -1f, 1f, s1, n);
                b.unary(UnaryOp.LOG, s1, s1, n);
                b.affine(target, -1f, 1f, s2, n);
                b.binary(BinaryOp.MUL, s2, s1, s1, n);
                b.sum(s1, n, -perElement, lossOut, lossIndex, true);
                // gradient (p − y) / (p·(1 − p)) / n inside the clipping range, 0 outside (as autodiff of clip)
                b.affine(p, -1f, 1f, s1, n);
                b.binary(BinaryOp.MUL, p, s1, s1, n);
                b.binary(BinaryOp.SUB, p, target, s2, n);
                b.binary(BinaryOp.DIV, s2, s1, grad, n);
                b.affine(pred, 1f, -eps, s1, n);
                b.unary(UnaryOp.STEP, s1, s1, n);
                b.binary(BinaryOp.MUL, grad, s1, grad, n);
                b.affine(pred, -1f, 1f - eps, s1, n);
                b.unary(UnaryOp.STEP, s1, s1, n);
                b.binary(BinaryOp.MUL, grad, s1, grad, n);
                b.affine(grad, perElement, 0f, grad, n);
                return;
            }
            case BINARY_CROSSENTROPY_FROM_LOGITS: {
                // loss = max(x, 0) − x·y + log(1 + e^−|x|); gradient (sigmoid(x) − y) / n
                b.activationForward(ActivationKind.RELU, pred, s0, rows, cols);
                b.binary(BinaryOp.MUL, pred, target, s1, n);
                b.binary(BinaryOp.SUB, s0, s1, s0, n);
                b.sum(s0, n, perElement, lossOut, lossIndex, false);
                b.unary(UnaryOp.ABS, pred, s1, n);
                b.unary(UnaryOp.NEG, s1, s1, n);
                b.activationForward(ActivationKind.SOFTPLUS, s1, s1, rows, cols);
                b.sum(s1, n, perElement, lossOut, lossIndex, true);
                b.activationForward(ActivationKind.SIGMOID, pred, grad, rows, cols);
                b.binary(BinaryOp.SUB, grad, target, grad, n);
                b.affine(grad, perElement, 0f, grad, n);
                return;
            }
            case CATEGORICAL_CROSSENTROPY:
                categoricalFromProbabilities(b, pred, target, rows, cols, grad, lossOut, lossIndex, scratch);
                return;
            case CATEGORICAL_CROSSENTROPY_FROM_LOGITS:
                categoricalFromLogits(b, pred, target, rows, cols, grad, lossOut, lossIndex, scratch);
                return;
            case SPARSE_CATEGORICAL_CROSSENTROPY: {
                Storage oneHot = scratch.get(7, n);
                b.oneHot(target, rows, cols, oneHot);
                categoricalFromProbabilities(b, pred, oneHot, rows, cols, grad, lossOut, lossIndex, scratch);
                return;
            }
            case SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: {
                Storage oneHot = scratch.get(7, n);
                b.oneHot(target, rows, cols, oneHot);
                categoricalFromLogits(b, pred, oneHot, rows, cols, grad, lossOut, lossIndex, scratch);
                return;
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * Keras' categorical cross-entropy on probabilities: q = p / Σ_row p, c = clip(q, ε, 1−ε),
     * loss = −mean_rows Σ_j y·log c. With G = ∂loss/∂q = −y/c (0 where clipped) / rows,
     * ∂loss/∂p = (G − Σ_k G_k·q_k) / S per row.
     */
    private static void categoricalFromProbabilities(Backend b, Storage pred, Storage target, int rows, int cols,
                                                     Storage grad, Storage lossOut, int lossIndex, Scratch scratch) {
        int n = rows * cols;
        float eps = LossKind.EPSILON;
        Storage q = scratch.get(0, n);
        Storage s1 = scratch.get(1, n);
        Storage wide = scratch.get(2, n);
        Storage rowSum = scratch.get(3, rows);
        Storage rowInv = scratch.get(4, rows);
        Storage ones = scratch.get(5, cols);
        Storage c = scratch.get(6, n);
        b.rowSums(pred, rows, cols, rowSum);
        b.unary(UnaryOp.RECIPROCAL, rowSum, rowInv, rows);
        broadcastRows(b, rowInv, rows, cols, wide, ones);
        b.binary(BinaryOp.MUL, pred, wide, q, n);
        b.clamp(q, eps, 1f - eps, c, n);
        b.unary(UnaryOp.LOG, c, s1, n);
        b.binary(BinaryOp.MUL, target, s1, s1, n);
        b.sum(s1, n, -1f / rows, lossOut, lossIndex, false);
        // G = −y / c / rows, masked to the clipping range of q
        b.binary(BinaryOp.DIV, target, c, s1, n);
        b.affine(s1, -1f / rows, 0f, s1, n);
        b.affine(q, 1f, -eps, c, n);
        b.unary(UnaryOp.STEP, c, c, n);
        b.binary(BinaryOp.MUL, s1, c, s1, n);
        b.affine(q, -1f, 1f - eps, c, n);
        b.unary(UnaryOp.STEP, c, c, n);
        b.binary(BinaryOp.MUL, s1, c, s1, n);
        // t = Σ_k G_k·q_k per row; grad = (G − t) / S
        b.binary(BinaryOp.MUL, s1, q, c, n);
        b.rowSums(c, rows, cols, rowSum);
        broadcastRows(b, rowSum, rows, cols, c, ones);
        b.binary(BinaryOp.SUB, s1, c, s1, n);
        b.binary(BinaryOp.MUL, s1, wide, grad, n);
    }

    /**
     * Categorical cross-entropy on logits through log-sum-exp:
     * loss = mean_rows (lse·Σ_j y − Σ_j y·x); gradient (softmax(x)·Σ_j y − y) / rows.
     */
    private static void categoricalFromLogits(Backend b, Storage logits, Storage target, int rows, int cols,
                                              Storage grad, Storage lossOut, int lossIndex, Scratch scratch) {
        int n = rows * cols;
        Storage s1 = scratch.get(1, n);
        Storage wide = scratch.get(2, n);
        Storage lse = scratch.get(3, rows);
        Storage targetSum = scratch.get(4, rows);
        Storage ones = scratch.get(5, cols);
        b.logSumExpRows(logits, rows, cols, lse);
        b.rowSums(target, rows, cols, targetSum);
        b.binary(BinaryOp.MUL, lse, targetSum, lse, rows);
        b.sum(lse, rows, 1f / rows, lossOut, lossIndex, false);
        b.binary(BinaryOp.MUL, logits, target, s1, n);
        b.sum(s1, n, -1f / rows, lossOut, lossIndex, true);
        b.activationForward(ActivationKind.SOFTMAX, logits, grad, rows, cols);
        broadcastRows(b, targetSum, rows, cols, wide, ones);
        b.binary(BinaryOp.MUL, grad, wide, grad, n);
        b.binary(BinaryOp.SUB, grad, target, grad, n);
        b.affine(grad, 1f / rows, 0f, grad, n);
    }

    public static void sgdUpdate(Backend b, Storage w, Storage g, Storage velocity, int n, float lr, float momentum,
                                 boolean nesterov, Scratch scratch) {
        if (momentum == 0f) {
            b.axpby(-lr, g, 1f, w, n);
            return;
        }
        b.axpby(-lr, g, momentum, velocity, n);
        if (nesterov) {
            b.axpby(momentum, velocity, 1f, w, n);
            b.axpby(-lr, g, 1f, w, n);
        } else {
            b.axpby(1f, velocity, 1f, w, n);
        }
    }

    public static void adamUpdate(Backend b, Storage w, Storage g, Storage m, Storage v, int n, float lr, float lrT,
                                  float beta1, float beta2, float epsilon, float weightDecay, Scratch scratch) {
        Storage s = scratch.get(0, n);
        if (weightDecay > 0f) {
            b.affine(w, 1f - lr * weightDecay, 0f, w, n);
        }
        b.axpby(1f - beta1, g, beta1, m, n);
        b.unary(UnaryOp.SQUARE, g, s, n);
        b.axpby(1f - beta2, s, beta2, v, n);
        b.unary(UnaryOp.SQRT, v, s, n);
        b.affine(s, 1f, epsilon, s, n);
        b.binary(BinaryOp.DIV, m, s, s, n);
        b.axpby(-lrT, s, 1f, w, n);
    }

    public static void rmspropUpdate(Backend b, Storage w, Storage g, Storage v, int n, float lr, float rho, float epsilon,
                                     Scratch scratch) {
        Storage s = scratch.get(0, n);
        b.unary(UnaryOp.SQUARE, g, s, n);
        b.axpby(1f - rho, s, rho, v, n);
        divideBySqrtPlusEpsilon(b, w, g, v, n, lr, epsilon, s);
    }

    public static void adagradUpdate(Backend b, Storage w, Storage g, Storage accumulator, int n, float lr, float epsilon,
                                     Scratch scratch) {
        Storage s = scratch.get(0, n);
        b.unary(UnaryOp.SQUARE, g, s, n);
        b.axpby(1f, s, 1f, accumulator, n);
        divideBySqrtPlusEpsilon(b, w, g, accumulator, n, lr, epsilon, s);
    }

    /** {@code w −= lr·g / √(state + ε)}, using {@code s} as scratch. */
    private static void divideBySqrtPlusEpsilon(Backend b, Storage w, Storage g, Storage state, int n, float lr, float epsilon,
                                                Storage s) {
        b.affine(state, 1f, epsilon, s, n);
        b.unary(UnaryOp.SQRT, s, s, n);
        b.binary(BinaryOp.DIV, g, s, s, n);
        b.axpby(-lr, s, 1f, w, n);
    }
}
