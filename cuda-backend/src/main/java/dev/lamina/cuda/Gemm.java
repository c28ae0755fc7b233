package dev.lamina.cuda;

/**
 * A row-major SGEMM on the backend's stream, {@code C = alpha·op(A)·op(B) + beta·C} with packed
 * operands, as {@link dev.lamina.backend.Backend#gemm} defines it. m, n and k are at least 1 here;
 * the backend handles empty shapes. When beta is 0, C is not read.
 */
interface Gemm extends AutoCloseable {
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, DeviceBlock a, DeviceBlock b, float beta, DeviceBlock c);

    /** For {@code description()}: "cuBLAS 12.0.2 (TF32 off)" or "own SGEMM kernel". */
    String description();

    @Override
    void close();
}
