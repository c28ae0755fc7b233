package dev.lamina.cpu;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.Philox;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import dev.lamina.backend.heap.HeapBackend;
import dev.lamina.cpu.gemm.MicroKernel;
import dev.lamina.cpu.gemm.Sgemm;
import dev.lamina.cpu.ops.ElementKernels;

/**
 * The pure-Java CPU backend. Matrix products go through a BLIS-style {@link Sgemm} split across a
 * {@link WorkerPool}; a Dense layer's bias and activation are applied while the product writes its
 * output, and its activation gradient and bias gradient are computed in one pass. The loops run on
 * Vector API kernels when the JVM has {@code jdk.incubator.vector}, and on portable Java otherwise
 * (see {@link VectorSupport}). Storage is the Java heap, shared with the reference backend. The
 * worker threads are shared by every CPU backend with the same thread count and live as long as
 * the JVM (they are daemons and park when idle), so closing a backend releases nothing.
 */
public class CpuBackend extends HeapBackend {
    private final boolean vector;
    private final WorkerPool pool;
    private final Sgemm sgemm;
    private final ElementKernels ops;
    private final ParallelOps parallel;

    /** Vector API code when the JVM allows it, one thread per core (or {@code lamina.cpu.threads}). */
    public CpuBackend() {
        this(VectorSupport.useVectorByDefault(), WorkerPool.defaultThreads());
    }

    /**
     * A backend with the code path chosen explicitly: {@code vector} true needs the JVM option
     * {@code --add-modules jdk.incubator.vector}.
     */
    public CpuBackend(boolean vector, int threads) {
        this.vector = vector;
        this.pool = WorkerPool.shared(threads);
        MicroKernel kernel = VectorSupport.microKernel(vector);
        this.ops = VectorSupport.elementKernels(vector);
        this.sgemm = new Sgemm(kernel, ops, pool);
        this.parallel = new ParallelOps(ops, pool);
    }

    /** True when this backend runs the Vector API code. */
    public boolean usesVectorApi() {
        return vector;
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        String path = vector ? ops.describe() : "portable Java (start Java with --add-modules jdk.incubator.vector for the Vector API path)";
        return "cpu: pure Java, " + pool.threads() + " thread(s), " + path + "; GEMM micro-kernel "
                + sgemm.kernel().describe();
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Storage a, Storage b, float beta, Storage c) {
        sgemm.multiply(sgemm.call().set(transA, transB, m, n, k, alpha, f(a), f(b), beta, f(c)));
    }

    @Override
    public void denseForward(Storage x, Storage kernel, Storage bias, ActivationKind activation,
                             int rows, int in, int out, Storage z, Storage y) {
        float[] Z = f(z);
        float[] b = bias == null ? null : f(bias);
        if (activation.elementWise()) {
            // bias and activation applied to each tile of z as the product writes it
            float[] Y = activation == ActivationKind.LINEAR && z == y ? null : f(y);
            sgemm.multiply(sgemm.call().set(false, false, rows, out, in, 1f, f(x), f(kernel), 0f, Z)
                    .withOutput(b, activation, Y));
        } else {
            sgemm.multiply(sgemm.call().set(false, false, rows, out, in, 1f, f(x), f(kernel), 0f, Z)
                    .withOutput(b, ActivationKind.LINEAR, null));
            activationForward(activation, z, y, rows, out);
        }
    }

    @Override
    public void denseBackward(Storage x, Storage kernel, ActivationKind activation, Storage z, Storage y,
                              Storage dy, int rows, int in, int out,
                              Storage dz, Storage dKernel, Storage dBias, Storage dx) {
        float[] Z = f(z);
        float[] Y = f(y);
        float[] DY = f(dy);
        float[] DZ = f(dz);
        float[] DB = f(dBias);
        // one pass over the output gradient: dz = act'(z)·dy, and its column sums into dBias
        java.util.Arrays.fill(DB, 0, out, 0f);
        for (int i = 0; i < rows; i++) {
            int off = i * out;
            if (activation == ActivationKind.SOFTMAX) {
                ops.softmaxBackwardRow(Y, off, DY, off, DZ, off, out);
            } else {
                ops.activateBackward(activation, Z, off, Y, off, DY, off, DZ, off, out);
            }
            ops.accumulate(DZ, off, DB, 0, out);
        }
        sgemm.multiply(sgemm.call().set(true, false, in, out, rows, 1f, f(x), DZ, 0f, f(dKernel)));
        if (dx != null) {
            sgemm.multiply(sgemm.call().set(false, true, rows, in, out, 1f, DZ, f(kernel), 0f, f(dx)));
        }
    }

    // ---------------------------------------------------------------- row and column ops

    @Override
    public void biasAdd(Storage x, Storage bias, int rows, int cols, Storage y) {
        float[] X = f(x);
        float[] b = f(bias);
        float[] Y = f(y);
        for (int i = 0; i < rows; i++) {
            ops.addBias(X, i * cols, b, 0, Y, i * cols, cols);
        }
    }

    @Override
    public void biasGradient(Storage dy, int rows, int cols, Storage db) {
        float[] D = f(dy);
        float[] out = f(db);
        java.util.Arrays.fill(out, 0, cols, 0f);
        for (int i = 0; i < rows; i++) {
            ops.accumulate(D, i * cols, out, 0, cols);
        }
    }

    @Override
    public void columnScale(Storage x, Storage scale, int rows, int cols, Storage y) {
        float[] X = f(x);
        float[] s = f(scale);
        float[] Y = f(y);
        for (int i = 0; i < rows; i++) {
            ops.binary(BinaryOp.MUL, X, i * cols, s, 0, Y, i * cols, cols);
        }
    }

    @Override
    public void rowSums(Storage x, int rows, int cols, Storage out) {
        float[] X = f(x);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            o[i] = ops.sum(X, i * cols, cols);
        }
    }

    @Override
    public void activationForward(ActivationKind kind, Storage x, Storage y, int rows, int cols) {
        float[] X = f(x);
        float[] Y = f(y);
        if (kind == ActivationKind.SOFTMAX) {
            for (int i = 0; i < rows; i++) {
                ops.softmaxRow(X, i * cols, Y, i * cols, cols);
            }
        } else {
            parallel.activate(kind, X, Y, rows * cols);
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
                ops.softmaxBackwardRow(Y, i * cols, DY, i * cols, DX, i * cols, cols);
            }
        } else {
            parallel.activateBackward(kind, X, Y, DY, DX, rows * cols);
        }
    }

    @Override
    public void logSumExpRows(Storage x, int rows, int cols, Storage out) {
        float[] X = f(x);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            o[i] = ops.logSumExpRow(X, i * cols, cols);
        }
    }

    @Override
    public void argmaxRows(Storage x, int rows, int cols, Storage out) {
        float[] X = f(x);
        float[] o = f(out);
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (X[row + j] > X[row + best]) {
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
        java.util.Arrays.fill(o, 0, rows * classes, 0f);
        for (int i = 0; i < rows; i++) {
            float label = L[i];
            int j = (int) label;
            if (j == label && j >= 0 && j < classes) {
                o[i * classes + j] = 1f;
            }
        }
    }

    // ---------------------------------------------------------------- element-wise ops

    @Override
    public void unary(UnaryOp op, Storage x, Storage y, int n) {
        parallel.unary(op, f(x), f(y), n);
    }

    @Override
    public void binary(BinaryOp op, Storage a, Storage b, Storage out, int n) {
        parallel.binary(op, f(a), f(b), f(out), n);
    }

    @Override
    public void affine(Storage x, float alpha, float beta, Storage y, int n) {
        ops.affine(f(x), 0, alpha, beta, f(y), 0, n);
    }

    @Override
    public void axpby(float alpha, Storage x, float beta, Storage y, int n) {
        parallel.axpby(alpha, f(x), beta, f(y), n);
    }

    @Override
    public void clamp(Storage x, float lo, float hi, Storage y, int n) {
        ops.clamp(f(x), 0, lo, hi, f(y), 0, n);
    }

    @Override
    public void sum(Storage x, int n, float scale, Storage out, int outIndex, boolean accumulate) {
        float total = ops.sum(f(x), 0, n);
        float[] o = f(out);
        o[outIndex] = (accumulate ? o[outIndex] : 0f) + scale * total;
    }

    @Override
    public void dropoutMask(long seed, long offset, float rate, Storage mask, int n) {
        Philox.dropoutMask(seed, offset, rate, f(mask), n);
    }

    @Override
    public void clipByNorm(Storage x, int n, float maxNorm) {
        float[] X = f(x);
        double norm = Math.sqrt(ops.sumOfSquares(X, 0, n));
        if (norm > maxNorm) {
            ops.scale(X, 0, (float) (maxNorm / norm), n);
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void sgdUpdate(Storage w, Storage g, Storage velocity, int n, float lr, float momentum,
                          boolean nesterov, Scratch scratch) {
        if (momentum == 0f) {
            parallel.axpby(-lr, f(g), 1f, f(w), n);
        } else {
            parallel.sgdMomentum(f(w), f(g), f(velocity), n, lr, momentum, nesterov);
        }
    }

    @Override
    public void adamUpdate(Storage w, Storage g, Storage m, Storage v, int n, float lr, float lrT,
                           float beta1, float beta2, float epsilon, float weightDecay, Scratch scratch) {
        float decay = weightDecay > 0f ? 1f - lr * weightDecay : 1f;
        parallel.adam(f(w), f(g), f(m), f(v), n, decay, lrT, beta1, beta2, epsilon);
    }
}
