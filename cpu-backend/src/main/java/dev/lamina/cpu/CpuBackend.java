package dev.lamina.cpu;

import dev.lamina.backend.Storage;
import dev.lamina.backend.reference.ReferenceBackend;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The pure-Java CPU backend. Matrix products run in float with a cache-friendly i-k-j loop order,
 * split by rows across cores when large enough to pay for it; the element-wise ops are the
 * reference backend's for now.
 */
public class CpuBackend extends ReferenceBackend {
    /** Below this many multiply-adds a product stays on the calling thread. */
    static final long PARALLEL_THRESHOLD = 1L << 18;

    private final ForkJoinPool pool = ForkJoinPool.commonPool();

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu: pure Java, " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, Storage a, Storage b, float beta, Storage c) {
        float[] A = f(a);
        float[] B = f(b);
        float[] C = f(c);
        if ((long) m * n * k < PARALLEL_THRESHOLD || m < 2) {
            rows(transA, transB, m, n, k, alpha, A, B, beta, C, 0, m);
            return;
        }
        int parts = Math.min(m, pool.getParallelism() * 4);
        pool.submit(() -> IntStream.range(0, parts).parallel().forEach(p ->
                rows(transA, transB, m, n, k, alpha, A, B, beta, C, (int) ((long) m * p / parts), (int) ((long) m * (p + 1) / parts))))
                .join();
    }

    private static void rows(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] A, float[] B, float beta, float[] C, int from, int to) {
        float[] acc = new float[n];
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(acc, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? A[p * m + i] : A[i * k + p];
                if (aip == 0f) {
                    continue;
                }
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        acc[j] += aip * B[j * k + p];
                    }
                } else {
                    int row = p * n;
                    for (int j = 0; j < n; j++) {
                        acc[j] += aip * B[row + j];
                    }
                }
            }
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                C[ci + j] = beta == 0f ? alpha * acc[j] : alpha * acc[j] + beta * C[ci + j];
            }
        }
    }
}
