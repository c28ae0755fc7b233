package dev.lamina.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSetMathMode;
import static jcuda.jcublas.JCublas2.cublasSetStream;
import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.runtime.cudaStream_t;

/**
 * GEMM through JCublas2's {@code cublasSgemm} on the backend's stream.
 *
 * <p>cuBLAS is column-major; a row-major matrix is the column-major view of its transpose. So the
 * row-major {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}:
 * B and A swap places, m and n swap, and each operand keeps its own transpose flag, because the
 * column-major view of the stored matrix is already the transpose the identity needs:
 *
 * <pre>
 * row-major C[m×n] = α·op(A)·op(B) + β·C                 cublasSgemm(opB, opA, n, m, k, α, B, ldb, A, lda, β, C, n)
 *   A stored m×k (transA false): opA = N, lda = k          A stored k×m (transA true): opA = T, lda = m
 *   B stored k×n (transB false): opB = N, ldb = n          B stored n×k (transB true): opB = T, ldb = k
 * </pre>
 *
 * For a Dense layer (batch b): Y = X·W is (N, N, out, b, in, W, out, X, in, Y, out); dW = Xᵀ·dY is
 * (N, T, out, in, b, dY, out, X, in, dW, out); dX = dY·Wᵀ is (T, N, in, b, out, W, out, dY, out, dX, in).
 *
 * <p>Never point JCublas2 at a CUDA 13 cuBLAS (e.g. {@code libcublas.so.13} behind a
 * {@code libcublas.so.12} link): its symbols carry another version and the JVM dies at the first
 * call. Lamina only uses what the system's loader finds as {@code libcublas.so.12}.
 */
final class CublasGemm implements Gemm {
    private static volatile String loadFailure;
    private static volatile boolean probed;

    private final cublasHandle handle = new cublasHandle();
    private final boolean tf32;
    private final LaunchLog launches;
    private final String version;
    // alpha and beta are read from host memory during the call: one array each, reused
    private final float[] alpha = new float[1];
    private final float[] beta = new float[1];
    private final Pointer alphaPointer = Pointer.to(alpha);
    private final Pointer betaPointer = Pointer.to(beta);

    /**
     * Null when JCublas2 and {@code libcublas.so.12} load here, otherwise why not (one line). Tried
     * once: a failed static initialiser cannot be retried in the same JVM.
     */
    static String loadFailure() {
        if (!probed) {
            synchronized (CublasGemm.class) {
                if (!probed) {
                    try {
                        JCublas2.setExceptionsEnabled(true);
                        loadFailure = null;
                    } catch (LinkageError e) {
                        loadFailure = NativeLoadFailure.summary(e);
                    }
                    probed = true;
                }
            }
        }
        return loadFailure;
    }

    CublasGemm(CudaContext context, boolean tf32) {
        this.tf32 = tf32;
        this.launches = context.launches();
        try {
            cublasCreate(handle);
            cublasSetStream(handle, new cudaStream_t(context.stream()));
            cublasSetMathMode(handle, tf32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH : cublasMath.CUBLAS_DEFAULT_MATH);
            int[] v = new int[1];
            cublasGetVersion(handle, v);
            version = (v[0] / 10000) + "." + (v[0] % 10000) / 100 + "." + v[0] % 100;
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("setting up cuBLAS", e);
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, DeviceBlock a, DeviceBlock b, float beta, DeviceBlock c) {
        this.alpha[0] = alpha;
        this.beta[0] = beta;
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        try {
            cublasSgemm(handle, transB ? CUBLAS_OP_T : CUBLAS_OP_N, transA ? CUBLAS_OP_T : CUBLAS_OP_N,
                    n, m, k, alphaPointer, b, ldb, a, lda, betaPointer, c, n);
            launches.add("cublasSgemm");
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cublasSgemm (m=" + m + ", n=" + n + ", k=" + k
                    + ", transA=" + transA + ", transB=" + transB + ")", e);
        }
    }

    @Override
    public String description() {
        return "cuBLAS " + version + " (TF32 tensor cores " + (tf32 ? "on" : "off; -Dlamina.cuda.tf32=true allows them") + ")";
    }

    @Override
    public void close() {
        cublasDestroy(handle);
    }
}
