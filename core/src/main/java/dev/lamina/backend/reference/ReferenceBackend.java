package dev.lamina.backend.reference;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.Philox;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import dev.lamina.backend.heap.HeapBackend;

/**
 * The oracle: plain loops, one thread, double accumulation, written to be obviously correct rather
 * than fast. Every other backend is tested against it.
 */
public class ReferenceBackend extends HeapBackend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "reference: plain Java loops with double accumulation, one thread (the test oracle, not for speed)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Storage a, Storage b, float beta, Storage c) {
        float[] A = f(a);
        float[] B = f(b);
        float[] C = f(c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? A[p * m + i] : A[i * k + p];
                    double bpj = transB ? B[j * k + p] : B[p * n + j];
                    acc += aip * bpj;
                }
                double old = beta == 0f ? 0 : beta * (double) C[i * n + j];
                C[i * n + j] = (float) (alpha * acc + old);
            }
        }
    }

    @Override
    public void biasAdd(Storage x, Storage bias, int rows, int cols, Storage y) {
        float[] X = f(x);
        float[] b = f(bias);
        float[] Y = f(y);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                Y[i * cols + j] = X[i * cols + j] + b[j];
            }
        }
    }

    @Override
    public void biasGradient(Storage dy, int rows, int cols, Storage db) {
        float[] D = f(dy);
        float[] out = f(db);
        for (int j = 0; j < cols; j++) {
            double acc = 0;
            for (int i = 0; i < rows; i++) {
                acc += D[i * cols + j];
            }
            out[j] = (float) acc;
        }
    }

    @Override
    public void columnScale(Storage x, Storage scale, int rows, int cols, Storage y) {
        float[] X = f(x);
        float[] s = f(scale);
        float[] Y = f(y);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                Y[i * cols + j] = X[i * cols + j] * s[j];
            }
        }
    }

    @Override
    public void rowSums(Storage x, int rows, int cols, Storage out) {
        float[] X = f(x);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            double acc = 0;
            for (int j = 0; j < cols; j++) {
                acc += X[i * cols + j];
            }
            o[i] = (float) acc;
        }
    }

    @Override
    public void activationForward(ActivationKind kind, Storage x, Storage y, int rows, int cols) {
        float[] X = f(x);
        float[] Y = f(y);
        if (kind == ActivationKind.SOFTMAX) {
            for (int i = 0; i < rows; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, X[i * cols + j]);
                }
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += Math.exp(X[i * cols + j] - max);
                }
                for (int j = 0; j < cols; j++) {
                    Y[i * cols + j] = (float) (Math.exp(X[i * cols + j] - max) / sum);
                }
            }
            return;
        }
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            Y[i] = (float) kind.apply(X[i]);
        }
    }

    @Override
    public void activationBackward(ActivationKind kind, Storage x, Storage y, Storage dy, Storage dx, int rows, int cols) {
        float[] X = f(x);
        float[] Y = f(y);
        float[] DY = f(dy);
        float[] DX = f(dx);
        if (kind == ActivationKind.SOFTMAX) {
            for (int i = 0; i < rows; i++) {
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += (double) DY[i * cols + j] * Y[i * cols + j];
                }
                for (int j = 0; j < cols; j++) {
                    DX[i * cols + j] = (float) (Y[i * cols + j] * (DY[i * cols + j] - dot));
                }
            }
            return;
        }
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            DX[i] = (float) (kind.derivative(X[i], Y[i]) * DY[i]);
        }
    }

    @Override
    public void logSumExpRows(Storage x, int rows, int cols, Storage out) {
        float[] X = f(x);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, X[i * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(X[i * cols + j] - max);
            }
            o[i] = (float) (max + Math.log(sum));
        }
    }

    @Override
    public void argmaxRows(Storage x, int rows, int cols, Storage out) {
        float[] X = f(x);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (X[i * cols + j] > X[i * cols + best]) {
                    best = j;
                }
            }
            o[i] = best;
        }
    }

    @Override
    public void oneHot(Storage labels, int rows, int classes, Storage out) {
        float[] L = f(labels);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < classes; j++) {
                o[i * classes + j] = L[i] == j ? 1f : 0f;
            }
        }
    }

    @Override
    public void unary(UnaryOp op, Storage x, Storage y, int n) {
        float[] X = f(x);
        float[] Y = f(y);
        for (int i = 0; i < n; i++) {
            Y[i] = op.apply(X[i]);
        }
    }

    @Override
    public void binary(BinaryOp op, Storage a, Storage b, Storage out, int n) {
        float[] A = f(a);
        float[] B = f(b);
        float[] O = f(out);
        for (int i = 0; i < n; i++) {
            O[i] = op.apply(A[i], B[i]);
        }
    }

    @Override
    public void affine(Storage x, float alpha, float beta, Storage y, int n) {
        float[] X = f(x);
        float[] Y = f(y);
        for (int i = 0; i < n; i++) {
            Y[i] = (float) ((double) alpha * X[i] + beta);
        }
    }

    @Override
    public void axpby(float alpha, Storage x, float beta, Storage y, int n) {
        float[] X = f(x);
        float[] Y = f(y);
        for (int i = 0; i < n; i++) {
            double old = beta == 0f ? 0 : (double) beta * Y[i];
            Y[i] = (float) ((double) alpha * X[i] + old);
        }
    }

    @Override
    public void clamp(Storage x, float lo, float hi, Storage y, int n) {
        float[] X = f(x);
        float[] Y = f(y);
        for (int i = 0; i < n; i++) {
            Y[i] = Math.min(Math.max(X[i], lo), hi);
        }
    }

    @Override
    public void sum(Storage x, int n, float scale, Storage out, int outIndex, boolean accumulate) {
        float[] X = f(x);
        float[] o = f(out);
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += X[i];
        }
        o[outIndex] = (float) ((accumulate ? o[outIndex] : 0) + scale * acc);
    }

    @Override
    public void dropoutMask(long seed, long offset, float rate, Storage mask, int n) {
        Philox.dropoutMask(seed, offset, rate, f(mask), n);
    }

    @Override
    public void clipByNorm(Storage x, int n, float maxNorm) {
        float[] X = f(x);
        double sq = 0;
        for (int i = 0; i < n; i++) {
            sq += (double) X[i] * X[i];
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float s = (float) (maxNorm / norm);
            for (int i = 0; i < n; i++) {
                X[i] *= s;
            }
        }
    }
}
