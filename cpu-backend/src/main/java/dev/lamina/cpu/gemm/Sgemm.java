package dev.lamina.cpu.gemm;

import dev.lamina.cpu.ParallelTask;
import dev.lamina.cpu.WorkerPool;
import dev.lamina.cpu.ops.ElementKernels;

/**
 * Single-precision matrix product in the BLIS style, in pure Java.
 *
 * <p>Loop nest, outermost first: columns of C in blocks of {@link #NC}; the k dimension in blocks
 * of {@link #KC}, packing that block of B into micro-panels (kept in L2/L3); rows of C in blocks of
 * {@code MC}, packing that block of A into micro-panels (kept in L2), unless the kernel can read an
 * untransposed A's rows where they lie; then the micro-panels of B (each reused across the whole
 * block of A) and of A, with one {@link MicroKernel} call per {@code mr × nr} tile. Whole tiles of the usual product (alpha 1, beta 0 or 1) go straight from
 * the kernel's registers into C; other tiles go through a small tile buffer that the output stage
 * adds into C with alpha and beta. On the last k block the fused bias and activation follow, while
 * the tile is still in L1. Edge tiles run the same vector kernels (packing pads them with zeros, and
 * narrow kernels cover the right edge), so odd sizes do not fall off a scalar cliff.
 *
 * <p>Large products are split across a {@link WorkerPool} by rows or columns of C, each thread
 * packing its own panels into its own buffers: no barriers, no shared writes. Tiny products skip
 * packing altogether.
 */
public final class Sgemm {
    /**
     * Largest depth of a k block (k is cut into blocks of equal depth). Each k block is one more pass
     * over C, so deeper is better while a B micro-panel (KC × nr floats, 128 KB at 512 × 64) and the A
     * block stay in L2: 512 measured 3–7% faster than 256 on the 512–1024-deep products on Zen 5
     * (1 MiB L2), and no slower on the shallow ones.
     */
    static final int KC = 512;
    /** Columns of C per outer block. */
    static final int NC = 2048;
    /** A micro-panels per block of A (MC = MR_PANELS · mr rows, KC deep: ≤ 192 KB, in L2). */
    static final int MR_PANELS = 16;
    /** Below this many multiply-adds a product stays on the calling thread: waking a worker costs more. */
    static final long PARALLEL_THRESHOLD = 1L << 21;
    /** Below this many multiply-adds packing costs more than it saves. */
    static final long PACKING_THRESHOLD = 1L << 12;

    private final MicroKernel kernel;
    private final ElementKernels ops;
    private final WorkerPool pool;
    private final int mr;
    private final int nr;
    private final int mc;
    private final ThreadLocal<Buffers> buffers;
    private final ThreadLocal<GemmCall> calls = ThreadLocal.withInitial(GemmCall::new);
    private final SplitTask splitTask = new SplitTask();

    public Sgemm(MicroKernel kernel, ElementKernels ops, WorkerPool pool) {
        this.kernel = kernel;
        this.ops = ops;
        this.pool = pool;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
        this.mc = MR_PANELS * mr;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(kernel, mc));
    }

    public MicroKernel kernel() {
        return kernel;
    }

    /** A reusable argument holder for the calling thread. */
    public GemmCall call() {
        return calls.get();
    }

    /** Computes the product (and output stage) described by {@code call}. */
    public void multiply(GemmCall call) {
        try {
            if (call.m == 0 || call.n == 0) {
                return;
            }
            long work = (long) call.m * call.n * call.k;
            if (call.k == 0) {
                scaleOnly(call);
            } else if (work < PACKING_THRESHOLD) {
                SmallGemm.multiply(call, ops);
            } else {
                int parts = (int) Math.min(pool.threads(), Math.max(1, work / (PARALLEL_THRESHOLD / 2)));
                parts = Math.min(parts, Math.max(call.m / mr, call.n / nr));
                if (parts <= 1) {
                    blocked(call, 0, call.m, 0, call.n, buffers.get());
                } else {
                    synchronized (splitTask) {
                        splitTask.call = call;
                        try {
                            pool.run(splitTask, parts);
                        } finally {
                            splitTask.call = null;
                        }
                    }
                }
            }
        } finally {
            call.clear();
        }
    }

    /** Splits C into bands of whole tiles along its longer side, one band per thread. */
    private final class SplitTask implements ParallelTask {
        GemmCall call;

        @Override
        public void run(int part, int parts) {
            GemmCall c = call;
            Buffers buf = buffers.get();
            if (c.m >= c.n) {
                int tiles = (c.m + mr - 1) / mr;
                int from = Math.min(c.m, tiles * part / parts * mr);
                int to = Math.min(c.m, tiles * (part + 1) / parts * mr);
                if (from < to) {
                    blocked(c, from, to, 0, c.n, buf);
                }
            } else {
                int tiles = (c.n + nr - 1) / nr;
                int from = Math.min(c.n, tiles * part / parts * nr);
                int to = Math.min(c.n, tiles * (part + 1) / parts * nr);
                if (from < to) {
                    blocked(c, 0, c.m, from, to, buf);
                }
            }
        }
    }

    private void blocked(GemmCall call, int row0, int row1, int col0, int col1, Buffers buf) {
        int k = call.k;
        // whole tiles of a product with alpha 1 and beta 0 or 1 go straight from the kernel into C
        boolean direct = call.alpha == 1f && (call.beta == 0f || call.beta == 1f);
        // an untransposed A is read in place when every tile of the band is whole in width: its rows
        // are already in the order the kernel reads them, so only a last partial panel needs packing
        boolean inPlaceA = direct && !call.transA && kernel.readsRowsOfA() && (col1 - col0) % nr == 0;
        // k blocks of equal depth (784 = 4 × 196, not 3 × 256 + 16): a thin last block would pay a
        // full pass over C for little work
        int kBlocks = (k + KC - 1) / KC;
        int depth = (k + kBlocks - 1) / kBlocks;
        for (int jc = col0; jc < col1; jc += NC) {
            int nc = Math.min(NC, col1 - jc);
            for (int pc = 0; pc < k; pc += depth) {
                int kc = Math.min(depth, k - pc);
                boolean firstBlock = pc == 0;
                boolean lastBlock = pc + kc == k;
                boolean accumulate = !firstBlock || call.beta == 1f;
                buf.packedB.pack(call.transB, call.b, k, call.n, pc, kc, jc, nc);
                for (int ic = row0; ic < row1; ic += mc) {
                    int rows = Math.min(mc, row1 - ic);
                    // rows [ic, ic + inPlace) are read where they lie; the rest is packed from row 0 of the buffer
                    int inPlace = inPlaceA ? rows / mr * mr : 0;
                    if (inPlace < rows) {
                        Packing.packA(call.transA, call.a, call.m, k, ic + inPlace, rows - inPlace, pc, kc, mr, buf.packedA);
                    }
                    for (int jr = 0; jr < nc; jr += nr) {
                        int width = Math.min(nr, nc - jr);
                        for (int ir = 0; ir < rows; ir += mr) {
                            int height = Math.min(mr, rows - ir);
                            int packedOff = (ir - inPlace) * kc;
                            if (direct && height == mr && width == nr) {
                                int cOff = (ic + ir) * call.n + jc + jr;
                                if (ir < inPlace) {
                                    kernel.multiplyRowsInto(kc, call.a, (ic + ir) * k + pc, k, buf.packedB, jr, call.c, cOff,
                                            call.n, accumulate);
                                } else {
                                    kernel.multiplyInto(kc, buf.packedA, packedOff, buf.packedB, jr, call.c, cOff, call.n,
                                            accumulate);
                                }
                                if (lastBlock && call.hasOutputStage()) {
                                    for (int i = 0; i < mr; i++) {
                                        outputStage(call, cOff + i * call.n, jc + jr, nr);
                                    }
                                }
                            } else {
                                kernel.multiply(kc, buf.packedA, packedOff, buf.packedB, jr, width, buf.tile);
                                store(call, buf.tile, ic + ir, height, jc + jr, width, firstBlock, lastBlock);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds a finished tile into C with alpha and beta, then applies the output stage on the last k block. */
    private void store(GemmCall call, float[] tile, int row, int height, int col, int width,
                       boolean firstBlock, boolean lastBlock) {
        float beta = firstBlock ? call.beta : 1f;
        for (int i = 0; i < height; i++) {
            int cOff = (row + i) * call.n + col;
            ops.axpby(call.alpha, tile, i * nr, beta, call.c, cOff, width);
            if (lastBlock && call.hasOutputStage()) {
                outputStage(call, cOff, col, width);
            }
        }
    }

    private void outputStage(GemmCall call, int cOff, int col, int width) {
        if (call.bias != null) {
            ops.addBias(call.c, cOff, call.bias, col, call.c, cOff, width);
        }
        if (call.y != null) {
            ops.activate(call.activation, call.c, cOff, call.y, cOff, width);
        }
    }

    /** k = 0: the product is empty, so C = beta·C, then the output stage. */
    private void scaleOnly(GemmCall call) {
        for (int i = 0; i < call.m; i++) {
            int cOff = i * call.n;
            if (call.beta == 0f) {
                java.util.Arrays.fill(call.c, cOff, cOff + call.n, 0f);
            } else {
                ops.scale(call.c, cOff, call.beta, call.n);
            }
            if (call.hasOutputStage()) {
                outputStage(call, cOff, 0, call.n);
            }
        }
    }

    /** One thread's packing buffers and tile, grown when a larger product needs more and then kept. */
    private static final class Buffers {
        final float[] packedA;
        final float[] tile;
        final PackedB packedB;

        Buffers(MicroKernel kernel, int mc) {
            packedA = new float[mc * KC];
            tile = new float[kernel.mr() * kernel.nr()];
            packedB = kernel.newPackedB();
        }
    }
}
