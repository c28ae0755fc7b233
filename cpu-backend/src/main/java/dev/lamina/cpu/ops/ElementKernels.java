package dev.lamina.cpu.ops;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.UnaryOp;

/**
 * Loops over ranges of float arrays: the element-wise ops, reductions and row operations of the
 * CPU backend, and the output stage of its matrix product. This class is the portable version,
 * plain Java that HotSpot auto-vectorises where it can; {@code dev.lamina.cpu.vector} overrides the
 * hot methods with Vector API code. Methods take (array, offset) pairs and a length so that the
 * backend can hand them whole tensors, rows, or one thread's share of a large array.
 */
public class ElementKernels {

    /** A short name for logs. */
    public String describe() {
        return "scalar";
    }

    /** {@code y = alpha·x + beta·y}; when beta is 0, y is not read. */
    public void axpby(float alpha, float[] x, int xOff, float beta, float[] y, int yOff, int len) {
        if (beta == 0f) {
            for (int i = 0; i < len; i++) {
                y[yOff + i] = alpha * x[xOff + i];
            }
        } else if (beta == 1f) {
            for (int i = 0; i < len; i++) {
                y[yOff + i] += alpha * x[xOff + i];
            }
        } else {
            for (int i = 0; i < len; i++) {
                y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
            }
        }
    }

    /** {@code y = alpha·x + beta} (beta a constant). */
    public void affine(float[] x, int xOff, float alpha, float beta, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = alpha * x[xOff + i] + beta;
        }
    }

    /** {@code y = x + bias} (bias read from {@code bOff}). */
    public void addBias(float[] x, int xOff, float[] bias, int bOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = x[xOff + i] + bias[bOff + i];
        }
    }

    /** {@code acc += x} (a running column sum). */
    public void accumulate(float[] x, int xOff, float[] acc, int accOff, int len) {
        for (int i = 0; i < len; i++) {
            acc[accOff + i] += x[xOff + i];
        }
    }

    public void clamp(float[] x, int xOff, float lo, float hi, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = Math.min(Math.max(x[xOff + i], lo), hi);
        }
    }

    /** The sum of {@code len} values. */
    public float sum(float[] x, int off, int len) {
        double acc = 0;
        for (int i = 0; i < len; i++) {
            acc += x[off + i];
        }
        return (float) acc;
    }

    /** The sum of squares, in double so that a norm of many values keeps its precision. */
    public double sumOfSquares(float[] x, int off, int len) {
        double acc = 0;
        for (int i = 0; i < len; i++) {
            acc += (double) x[off + i] * x[off + i];
        }
        return acc;
    }

    public float max(float[] x, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        double acc = 0;
        for (int i = 0; i < len; i++) {
            acc += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) acc;
    }

    public void scale(float[] x, int off, float factor, int len) {
        for (int i = 0; i < len; i++) {
            x[off + i] *= factor;
        }
    }

    public void unary(UnaryOp op, float[] x, int xOff, float[] y, int yOff, int len) {
        for (int i = 0; i < len; i++) {
            y[yOff + i] = op.apply(x[xOff + i]);
        }
    }

    public void binary(BinaryOp op, float[] a, int aOff, float[] b, int bOff, float[] out, int oOff, int len) {
        switch (op) {
            case ADD:
                for (int i = 0; i < len; i++) {
                    out[oOff + i] = a[aOff + i] + b[bOff + i];
                }
                return;
            case SUB:
                for (int i = 0; i < len; i++) {
                    out[oOff + i] = a[aOff + i] - b[bOff + i];
                }
                return;
            case MUL:
                for (int i = 0; i < len; i++) {
                    out[oOff + i] = a[aOff + i] * b[bOff + i];
                }
                return;
            default:
                for (int i = 0; i < len; i++) {
                    out[oOff + i] = op.apply(a[aOff + i], b[bOff + i]);
                }
        }
    }

    /** {@code y = f(x)} for an element-wise activation. */
    public void activate(ActivationKind kind, float[] x, int xOff, float[] y, int yOff, int len) {
        switch (kind) {
            case LINEAR:
                if (x != y || xOff != yOff) {
                    System.arraycopy(x, xOff, y, yOff, len);
                }
                return;
            case RELU:
                for (int i = 0; i < len; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v > 0f ? v : 0f;
                }
                return;
            case LEAKY_RELU:
                for (int i = 0; i < len; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v > 0f ? v : (float) ActivationKind.LEAKY_RELU_SLOPE * v;
                }
                return;
            default:
                for (int i = 0; i < len; i++) {
                    y[yOff + i] = (float) kind.apply(x[xOff + i]);
                }
        }
    }

    /** {@code dx = f'(x)·dy} for an element-wise activation, given x and y = f(x); dx may be dy. */
    public void activateBackward(ActivationKind kind, float[] x, int xOff, float[] y, int yOff,
                                 float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        switch (kind) {
            case LINEAR:
                if (dy != dx || dyOff != dxOff) {
                    System.arraycopy(dy, dyOff, dx, dxOff, len);
                }
                return;
            case RELU:
                for (int i = 0; i < len; i++) {
                    dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
                }
                return;
            case SIGMOID:
                for (int i = 0; i < len; i++) {
                    float s = y[yOff + i];
                    dx[dxOff + i] = s * (1f - s) * dy[dyOff + i];
                }
                return;
            case TANH:
                for (int i = 0; i < len; i++) {
                    float t = y[yOff + i];
                    dx[dxOff + i] = (1f - t * t) * dy[dyOff + i];
                }
                return;
            default:
                for (int i = 0; i < len; i++) {
                    dx[dxOff + i] = (float) (kind.derivative(x[xOff + i], y[yOff + i]) * dy[dyOff + i]);
                }
        }
    }

    /** Row-wise softmax of one row of {@code len} values, with the maximum subtracted. */
    public void softmaxRow(float[] x, int xOff, float[] y, int yOff, int len) {
        float max = max(x, xOff, len);
        double sum = 0;
        for (int i = 0; i < len; i++) {
            float e = (float) Math.exp(x[xOff + i] - max);
            y[yOff + i] = e;
            sum += e;
        }
        scale(y, yOff, (float) (1 / sum), len);
    }

    /** {@code dx = y·(dy − Σ dy·y)} for one softmax row; dx may be dy. */
    public void softmaxBackwardRow(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int len) {
        float dot = dot(dy, dyOff, y, yOff, len);
        for (int i = 0; i < len; i++) {
            dx[dxOff + i] = y[yOff + i] * (dy[dyOff + i] - dot);
        }
    }

    /** {@code log Σ exp(x)} of one row, with the maximum subtracted. */
    public float logSumExpRow(float[] x, int off, int len) {
        float max = max(x, off, len);
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += Math.exp(x[off + i] - max);
        }
        return (float) (max + Math.log(sum));
    }

    /**
     * Keras' Adam on {@code [from, to)}: {@code m += (1−β1)(g − m)}, {@code v += (1−β2)(g² − v)},
     * {@code w −= lrT·m/(√v + ε)}, after {@code w *= decay} when decay is not 1 (AdamW).
     */
    public void adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float decay, float lrT,
                     float beta1, float beta2, float epsilon) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = w[i] * decay - lrT * (mi / ((float) Math.sqrt(vi) + epsilon));
        }
    }

    /** Keras' SGD with momentum on {@code [from, to)}; see {@code Backend.sgdUpdate}. */
    public void sgdMomentum(float[] w, float[] g, float[] velocity, int from, int to, float lr, float momentum,
                            boolean nesterov) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float vi = momentum * velocity[i] - lr * gi;
            velocity[i] = vi;
            w[i] += nesterov ? momentum * vi - lr * gi : vi;
        }
    }
}
