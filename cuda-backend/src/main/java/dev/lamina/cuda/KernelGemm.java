package dev.lamina.cuda;

import jcuda.driver.CUstream;

/**
 * GEMM with Lamina's own SGEMM kernels, for machines where cuBLAS cannot load (JCublas 12.6 needs
 * {@code libcublas.so.12}, which a CUDA-13-only machine lacks). The kernels are row-major already,
 * so no transposition trick is needed. A 128×128 tile per block is the fast one; when that gives
 * fewer blocks than the GPU has SMs, the 64×64 one keeps more SMs busy (KERNELS.md, class G).
 */
final class KernelGemm implements Gemm {
    private static final int THREADS = 256;
    private static final int MAX_GRID_Y = 65535;

    private final Kernels kernels;
    private final CUstream stream;
    private final int multiprocessors;

    KernelGemm(Kernels kernels, CUstream stream, int multiprocessors) {
        this.kernels = kernels;
        this.stream = stream;
        this.multiprocessors = Math.max(1, multiprocessors);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, DeviceBlock a, DeviceBlock b, float beta, DeviceBlock c) {
        long bigTiles = (long) ceilDiv(m, 128) * ceilDiv(n, 128);
        boolean big = bigTiles >= multiprocessors;
        int tile = big ? 128 : 64;
        Kernel kernel = big ? kernels.sgemm128 : kernels.sgemm64;
        kernel.i(transA).i(transB).i(m).i(n).i(k).f(alpha)
                .ptr(a.address()).i(transA ? m : k)
                .ptr(b.address()).i(transB ? k : n)
                .f(beta).ptr(c.address()).i(n)
                .launch(stream, ceilDiv(n, tile), Math.min(ceilDiv(m, tile), MAX_GRID_Y), THREADS, 1);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String description() {
        return "own SGEMM kernel (cuBLAS not used; TF32 off)";
    }

    @Override
    public void close() {
    }
}
