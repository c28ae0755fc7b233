package dev.lamina.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import dev.lamina.LaminaException;
import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.FusedOps;
import dev.lamina.backend.IndexStorage;
import dev.lamina.backend.LossKind;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import java.util.Locale;
import jcuda.driver.CUstream;

/**
 * The CUDA backend: tensors live in device memory, every op is a kernel (or cuBLAS) queued on one
 * stream, and only {@link #download} waits for the GPU.
 *
 * <p>The parts, each with one job: {@link CudaContext} (device, primary context, stream),
 * {@link DeviceMemoryPool} (caching allocator), {@link HostStaging} (pinned transfers),
 * {@link Kernels} (the PTX module), {@link Gemm} ({@link CublasGemm} or {@link KernelGemm}).
 *
 * <p>Options (system properties): {@code lamina.cuda.gemm} = {@code auto} (cuBLAS when it loads,
 * otherwise the own kernel), {@code cublas} or {@code kernel}; {@code lamina.cuda.tf32} = true to
 * let cuBLAS use TF32 tensor cores (faster, about 10 bits of mantissa in the products);
 * {@code lamina.cuda.sync} = true to wait after every kernel, so a faulting kernel is named (debugging).
 *
 * <p>Calls are serialised (the methods are synchronized): one stream, one thread at a time.
 */
public final class CudaBackend implements Backend {
    public static final String GEMM_PROPERTY = "lamina.cuda.gemm";
    public static final String TF32_PROPERTY = "lamina.cuda.tf32";

    private static final System.Logger LOG = System.getLogger("dev.lamina.cuda");
    private static volatile boolean fallbackLogged;

    /** Threads per block of element-wise kernels (class E). */
    private static final int BLOCK = 256;
    /** Above this many elements a sum first reduces to per-block partials (KERNELS.md). */
    private static final int SINGLE_BLOCK_SUM_LIMIT = 1 << 16;
    /** The most partial sums: the size of the partials buffer. */
    private static final int MAX_PARTIALS = 1024;
    private static final int MAX_GRID_Y = 65535;
    private static final int STAGING_BYTES = 4 << 20;
    /** The most elements a tensor may have: the kernels count elements with 32-bit ints. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    private final CudaContext context;
    private final CUstream stream;
    private final DeviceMemoryPool pool;
    private final HostStaging staging;
    private final Kernels kernels;
    private final Gemm gemm;
    private final int maxElementGrid;
    /** Device scratch for reductions: MAX_PARTIALS partial sums, then one float (a sum of squares). */
    private final DeviceBlock reduction;
    private boolean closed;

    /** Creates the backend on device 0; {@link CudaBackendProvider} checks first that CUDA is usable. */
    CudaBackend(DeviceInfo device) {
        this(device, gemmPath());
    }

    /** @param gemmPath "auto", "cublas" or "kernel" (tests force each path in one JVM) */
    CudaBackend(DeviceInfo device, String gemmPath) {
        context = new CudaContext(device);
        stream = context.stream();
        pool = new DeviceMemoryPool(context);
        Kernels k = null;
        HostStaging s = null;
        Gemm g = null;
        try {
            k = new Kernels(context.launches());
            s = new HostStaging(context, STAGING_BYTES);
            g = chooseGemm(k, gemmPath);
        } catch (RuntimeException e) {
            if (g != null) {
                g.close();
            }
            if (s != null) {
                s.close();
            }
            if (k != null) {
                k.close();
            }
            context.close();
            throw e;
        }
        kernels = k;
        staging = s;
        gemm = g;
        maxElementGrid = Math.max(1, device.multiprocessors()) * 32;
        reduction = pool.acquire((MAX_PARTIALS + 1L) * Float.BYTES);
    }

    private Gemm chooseGemm(Kernels k, String path) {
        boolean tf32 = Boolean.getBoolean(TF32_PROPERTY);
        if (path.equals("kernel")) {
            return new KernelGemm(k, stream, context.info().multiprocessors(), pool, "asked for by -D" + GEMM_PROPERTY + "=kernel");
        }
        String failure = CublasGemm.loadFailure();
        if (failure == null) {
            return new CublasGemm(context, tf32);
        }
        if (path.equals("cublas")) {
            throw new CudaException("cuBLAS was asked for (-D" + GEMM_PROPERTY + "=cublas) but JCublas2 cannot load: "
                    + failure + ". Install CUDA 12's cuBLAS (libcublas.so.12) or use -D" + GEMM_PROPERTY + "=auto.", null, null);
        }
        if (!fallbackLogged) {
            // DEBUG, not INFO: a normal state on a CUDA-13 machine, and an INFO line would reach the
            // console of every program (a CLI's one-line error would become three); description()
            // and `lamina backends` say which GEMM runs and why
            fallbackLogged = true;
            LOG.log(System.Logger.Level.DEBUG, "Lamina CUDA: cuBLAS is not available (" + failure
                    + "); matrix products use Lamina's own SGEMM kernel.");
        }
        return new KernelGemm(k, stream, context.info().multiprocessors(), pool, "cuBLAS cannot load: " + failure);
    }

    /** The GEMM path asked for: auto, cublas or kernel. */
    static String gemmPath() {
        String path = System.getProperty(GEMM_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (!path.equals("auto") && !path.equals("cublas") && !path.equals("kernel")) {
            throw new LaminaException("-D" + GEMM_PROPERTY + "=" + path + " is not a GEMM path; use auto, cublas or kernel.");
        }
        return path;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public synchronized String description() {
        DeviceInfo d = context.info();
        long[] memory = closed ? new long[] {-1, -1} : memoryInfo();
        StringBuilder sb = new StringBuilder();
        sb.append("cuda: ").append(d.name()).append(" (compute capability ").append(d.ccMajor()).append('.').append(d.ccMinor())
                .append(", ").append(d.multiprocessors()).append(" SMs)");
        sb.append("\n  memory: ").append(DeviceInfo.gib(d.totalBytes())).append(" total");
        if (memory[0] >= 0) {
            sb.append(", ").append(DeviceInfo.gib(memory[0])).append(" free");
        }
        sb.append("\n  driver: CUDA ").append(d.driverVersionText());
        sb.append("\n  GEMM: ").append(gemm.description());
        if (d.emulated()) {
            sb.append("\n  mode: emulated (a stand-in driver runs the kernels on the CPU; for tests, not speed)");
        }
        return sb.toString();
    }

    private long[] memoryInfo() {
        context.makeCurrent();
        return context.memoryInfo();
    }

    /** True when the device is Lamina's CPU emulation of a GPU rather than a real one. */
    public boolean emulated() {
        return context.info().emulated();
    }

    /** Which GEMM is in use: "cublas" or "kernel". */
    public String gemmPathInUse() {
        return gemm instanceof CublasGemm ? "cublas" : "kernel";
    }

    /** What the memory pool has done so far ({@code cuMemAlloc} calls, bytes held). */
    public synchronized MemoryStats memoryStats() {
        return pool.stats();
    }

    /** Gives the cached device memory that no storage uses back to the driver. */
    public synchronized void trimMemory() {
        context.makeCurrent();
        pool.trim();
    }

    // ---------------------------------------------------------------- storage

    @Override
    public synchronized Storage allocate(long size) {
        if (size < 0 || size > MAX_ELEMENTS) {
            throw new LaminaException("Cannot allocate " + size + " floats on the CUDA backend: the size must be between 0 and "
                    + MAX_ELEMENTS + " (its kernels index a tensor with 32-bit ints); use smaller batches or split the data.");
        }
        context.makeCurrent();
        DeviceBlock block = pool.acquire(Math.max(size, 1) * Float.BYTES);
        memset(block, 0, size, 0);
        return new CudaStorage(pool, block, size);
    }

    @Override
    public synchronized IndexStorage allocateIndices(int size) {
        if (size < 0) {
            throw new LaminaException("Cannot allocate a negative number of indices: " + size + ".");
        }
        context.makeCurrent();
        DeviceBlock block = pool.acquire(Math.max(size, 1) * (long) Integer.BYTES);
        memset(block, 0, size, 0);
        return new CudaIndexStorage(pool, block, size);
    }

    @Override
    public synchronized void release(Storage storage) {
        CudaStorage s = own(storage);
        context.makeCurrent();
        pool.release(s.detach());
    }

    @Override
    public synchronized void release(IndexStorage storage) {
        CudaIndexStorage s = own(storage);
        context.makeCurrent();
        pool.release(s.detach());
    }

    @Override
    public synchronized void upload(float[] src, int srcOffset, Storage dst, long dstOffset, int length) {
        CudaStorage d = own(dst);
        checkRange("upload", d, dstOffset, length);
        if (length == 0) {
            return;
        }
        context.makeCurrent();
        staging.upload(src, srcOffset, d.block(), dstOffset * Float.BYTES, length);
    }

    @Override
    public synchronized void download(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        CudaStorage s = own(src);
        checkRange("download", s, srcOffset, length);
        context.makeCurrent();
        if (length == 0) {
            context.synchronize("download");
            return;
        }
        staging.download(s.block(), srcOffset * Float.BYTES, dst, dstOffset, length);
    }

    @Override
    public synchronized void uploadIndices(int[] src, int srcOffset, IndexStorage dst, int dstOffset, int length) {
        CudaIndexStorage d = own(dst);
        if (dstOffset < 0 || length < 0 || (long) dstOffset + length > d.size()) {
            throw new LaminaException("uploadIndices of " + length + " ints at " + dstOffset + " does not fit an index storage of " + d.size() + ".");
        }
        if (length == 0) {
            return;
        }
        context.makeCurrent();
        staging.uploadInts(src, srcOffset, d.block(), (long) dstOffset * Integer.BYTES, length);
        d.mirror(src, srcOffset, dstOffset, length);
    }

    @Override
    public synchronized void copy(Storage src, long srcOffset, Storage dst, long dstOffset, long length) {
        CudaStorage s = own(src);
        CudaStorage d = own(dst);
        checkRange("copy (source)", s, srcOffset, length);
        checkRange("copy (destination)", d, dstOffset, length);
        if (length == 0) {
            return;
        }
        context.makeCurrent();
        long bytes = length * Float.BYTES;
        try {
            cuMemcpyDtoDAsync(d.block().withByteOffset(dstOffset * Float.BYTES), s.block().withByteOffset(srcOffset * Float.BYTES),
                    bytes, stream);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cuMemcpyDtoDAsync of " + bytes + " bytes", e);
        }
    }

    @Override
    public synchronized void fill(Storage dst, long offset, long length, float value) {
        CudaStorage d = own(dst);
        checkRange("fill", d, offset, length);
        context.makeCurrent();
        memset(d.block(), offset, length, Float.floatToRawIntBits(value));
    }

    /** Sets {@code count} 32-bit words from word {@code offset} to {@code bits}, on the stream. */
    private void memset(DeviceBlock block, long offset, long count, int bits) {
        if (count == 0) {
            return;
        }
        try {
            cuMemsetD32Async(block.withByteOffset(offset * 4), bits, count, stream);
        } catch (jcuda.CudaException e) {
            throw CudaException.wrap("cuMemsetD32Async of " + count + " words", e);
        }
    }

    @Override
    public synchronized void synchronize() {
        context.makeCurrent();
        context.synchronize("synchronize");
    }

    /** Waits for the GPU, then gives back the pool (every storage of this backend), the module and the context. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        context.makeCurrent();
        closed = true;
        // every part is closed even when one fails (after a kernel fault the context is dead and
        // each driver call fails); the first failure is thrown with the others suppressed
        RuntimeException failure = null;
        Runnable[] steps = {() -> context.synchronize("close"), gemm::close, staging::close, kernels::close, pool::close, context::close};
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- primitives

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k,
                                  float alpha, Storage a, Storage b, float beta, Storage c) {
        CudaStorage A = own(a);
        CudaStorage B = own(b);
        CudaStorage C = own(c);
        if (m < 0 || n < 0 || k < 0) {
            throw new LaminaException("gemm with negative sizes m=" + m + ", n=" + n + ", k=" + k + ".");
        }
        checkRange("gemm A", A, 0, (long) m * k);
        checkRange("gemm B", B, 0, (long) k * n);
        checkRange("gemm C", C, 0, (long) m * n);
        if (m == 0 || n == 0) {
            return;
        }
        context.makeCurrent();
        if (k == 0) {
            // an empty sum: C = beta·C (BLAS), and C is not read when beta is 0
            int count = (int) ((long) m * n); // fits: C holds m·n floats, checked above
            if (beta == 0f) {
                memset(C.block(), 0, count, 0);
            } else {
                kernels.affine.ptr(C.address(0)).f(beta).f(0f).ptr(C.address(0)).i(count).launch(stream, elementGrid(count), 1, BLOCK, 1);
            }
            return;
        }
        gemm.gemm(transA, transB, m, n, k, alpha, A.block(), B.block(), beta, C.block());
    }

    @Override
    public synchronized void biasAdd(Storage x, Storage bias, int rows, int cols, Storage y) {
        int n = elements(rows, cols, "biasAdd");
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.biasAdd.ptr(addr(x)).ptr(addr(bias)).ptr(addr(y)).i(rows).i(cols).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void biasGradient(Storage dy, int rows, int cols, Storage db) {
        elements(rows, cols, "biasGradient");
        if (cols == 0) {
            return;
        }
        context.makeCurrent();
        if (rows == 0) {
            memset(own(db).block(), 0, cols, 0);
            return;
        }
        // class C: block (32, 8), one block per 32 columns
        kernels.columnSums.ptr(addr(dy)).i(rows).i(cols).ptr(addr(db)).launch(stream, ceilDiv(cols, 32), 1, 32, 8);
    }

    @Override
    public synchronized void columnScale(Storage x, Storage scale, int rows, int cols, Storage y) {
        int n = elements(rows, cols, "columnScale");
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.columnScale.ptr(addr(x)).ptr(addr(scale)).ptr(addr(y)).i(rows).i(cols).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void rowSums(Storage x, int rows, int cols, Storage out) {
        elements(rows, cols, "rowSums");
        if (rows == 0) {
            return;
        }
        context.makeCurrent();
        launchRows(kernels.rowSums.ptr(addr(x)).i(rows).i(cols).ptr(addr(out)), rows, cols);
    }

    @Override
    public synchronized void activationForward(ActivationKind kind, Storage x, Storage y, int rows, int cols) {
        int n = elements(rows, cols, "activationForward");
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        if (kind == ActivationKind.SOFTMAX) {
            launchRows(kernels.softmaxRows.ptr(addr(x)).ptr(addr(y)).i(rows).i(cols), rows, cols);
        } else {
            kernels.activationForward.i(kind.ordinal()).ptr(addr(x)).ptr(addr(y)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
        }
    }

    @Override
    public synchronized void activationBackward(ActivationKind kind, Storage x, Storage y, Storage dy, Storage dx,
                                                int rows, int cols) {
        int n = elements(rows, cols, "activationBackward");
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        if (kind == ActivationKind.SOFTMAX) {
            launchRows(kernels.softmaxBackwardRows.ptr(addr(y)).ptr(addr(dy)).ptr(addr(dx)).i(rows).i(cols), rows, cols);
        } else {
            kernels.activationBackward.i(kind.ordinal()).ptr(addr(x)).ptr(addr(y)).ptr(addr(dy)).ptr(addr(dx)).i(n)
                    .launch(stream, elementGrid(n), 1, BLOCK, 1);
        }
    }

    @Override
    public synchronized void logSumExpRows(Storage x, int rows, int cols, Storage out) {
        elements(rows, cols, "logSumExpRows");
        if (rows == 0) {
            return;
        }
        context.makeCurrent();
        launchRows(kernels.logSumExpRows.ptr(addr(x)).i(rows).i(cols).ptr(addr(out)), rows, cols);
    }

    @Override
    public synchronized void argmaxRows(Storage x, int rows, int cols, Storage out) {
        elements(rows, cols, "argmaxRows");
        if (rows == 0) {
            return;
        }
        context.makeCurrent();
        launchRows(kernels.argmaxRows.ptr(addr(x)).i(rows).i(cols).ptr(addr(out)), rows, cols);
    }

    @Override
    public synchronized void oneHot(Storage labels, int rows, int classes, Storage out) {
        int n = elements(rows, classes, "oneHot");
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.oneHot.ptr(addr(labels)).ptr(addr(out)).i(rows).i(classes).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void unary(UnaryOp op, Storage x, Storage y, int n) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.unary.i(op.ordinal()).ptr(addr(x)).ptr(addr(y)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void binary(BinaryOp op, Storage a, Storage b, Storage out, int n) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.binary.i(op.ordinal()).ptr(addr(a)).ptr(addr(b)).ptr(addr(out)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void affine(Storage x, float alpha, float beta, Storage y, int n) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.affine.ptr(addr(x)).f(alpha).f(beta).ptr(addr(y)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void axpby(float alpha, Storage x, float beta, Storage y, int n) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.axpby.f(alpha).ptr(addr(x)).f(beta).ptr(addr(y)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void clamp(Storage x, float lo, float hi, Storage y, int n) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.clamp.ptr(addr(x)).f(lo).f(hi).ptr(addr(y)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void sum(Storage x, int n, float scale, Storage out, int outIndex, boolean accumulate) {
        CudaStorage o = own(out);
        checkRange("sum output", o, outIndex, 1);
        context.makeCurrent();
        if (n == 0) {
            if (!accumulate) {
                memset(o.block(), outIndex, 1, 0); // an empty sum is 0; the kernels skip empty input
            }
            return;
        }
        reduce(addr(x), n, false, scale, o.address(outIndex), accumulate);
    }

    /**
     * {@code *out = scale·Σ x[i]} (or Σ x[i]² when {@code squares}), plus the old {@code *out} when
     * accumulating; one block for small n, otherwise per-block partials and then one block over them.
     */
    private void reduce(long x, int n, boolean squares, float scale, long out, boolean accumulate) {
        if (n <= SINGLE_BLOCK_SUM_LIMIT) {
            kernels.sumFinish.ptr(x).i(n).i(squares).f(scale).ptr(out).i(0).i(accumulate).launch(stream, 1, 1, BLOCK, 1);
            return;
        }
        int blocks = Math.min(ceilDiv(n, BLOCK), MAX_PARTIALS);
        long partials = reduction.address();
        kernels.sumPartials.ptr(x).i(n).i(squares).ptr(partials).launch(stream, blocks, 1, BLOCK, 1);
        kernels.sumFinish.ptr(partials).i(blocks).i(false).f(scale).ptr(out).i(0).i(accumulate).launch(stream, 1, 1, BLOCK, 1);
    }

    @Override
    public synchronized void gatherRows(Storage src, int cols, IndexStorage indices, int indexOffset, int rows, Storage dst) {
        int n = elements(rows, cols, "gatherRows");
        if (n == 0) {
            return;
        }
        CudaIndexStorage idx = own(indices);
        if (indexOffset < 0 || (long) indexOffset + rows > idx.size()) {
            throw new LaminaException("gatherRows of " + rows + " rows from index " + indexOffset
                    + " runs past an index storage of " + idx.size() + ".");
        }
        checkRange("gatherRows destination", own(dst), 0, n);
        // an index past the source would read outside its allocation: a fault that kills the
        // context for every backend of the process; the host copy of the indices is checked instead
        long sourceRows = own(src).size() / cols;
        int bad = idx.firstIndexOutside(indexOffset, rows, sourceRows);
        if (bad >= 0) {
            throw new LaminaException("gatherRows: index " + idx.hostValue(bad) + " (position " + bad + " of the index storage)"
                    + " is not a row of the source, which has " + sourceRows + " rows of " + cols + ".");
        }
        context.makeCurrent();
        kernels.gatherRows.ptr(addr(src)).i(cols).ptr(idx.address(0)).i(indexOffset).i(rows).ptr(addr(dst))
                .launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void dropoutMask(long seed, long offset, float rate, Storage mask, int n) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        float keep = (float) (1.0 / (1.0 - rate)); // in double, as the reference, so masks are bit-identical
        kernels.dropoutMask.l(seed).l(offset).f(rate).f(keep).ptr(addr(mask)).i(n).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void clipByNorm(Storage x, int n, float maxNorm) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        long sumSquares = reduction.address() + MAX_PARTIALS * (long) Float.BYTES;
        reduce(addr(x), n, true, 1f, sumSquares, false);
        kernels.scaleByNorm.ptr(addr(x)).i(n).ptr(sumSquares).f(maxNorm).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    // ---------------------------------------------------------------- fused ops: one kernel each

    /** {@code z = x·W} by GEMM, then bias and activation in one kernel (softmax keeps the default). */
    @Override
    public synchronized void denseForward(Storage x, Storage kernel, Storage bias, ActivationKind activation,
                                          int rows, int in, int out, Storage z, Storage y) {
        boolean fusable = activation != ActivationKind.SOFTMAX && (activation == ActivationKind.LINEAR || z != y);
        if (!fusable) {
            FusedOps.denseForward(this, x, kernel, bias, activation, rows, in, out, z, y);
            return;
        }
        gemm(false, false, rows, out, in, 1f, x, kernel, 0f, z);
        int n = elements(rows, out, "denseForward");
        if (n == 0) {
            return;
        }
        kernels.biasActivationForward.i(activation.ordinal()).ptr(addr(z)).ptr(addr(bias)).ptr(addr(z)).ptr(addr(y))
                .i(rows).i(out).launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    /** The gradient and per-row losses in one kernel, then one reduction into {@code lossOut[lossIndex]}. */
    @Override
    public synchronized void loss(LossKind kind, Storage pred, Storage target, int rows, int cols, float param,
                                  Storage grad, Storage lossOut, int lossIndex, Scratch scratch) {
        CudaStorage out = own(lossOut);
        checkRange("loss output", out, lossIndex, 1);
        if (elements(rows, cols, "loss") == 0) {
            FusedOps.loss(this, kind, pred, target, rows, cols, param, grad, lossOut, lossIndex, scratch);
            return;
        }
        Storage rowLoss = scratch.get(0, rows);
        context.makeCurrent();
        launchRows(kernels.lossRows.i(kind.ordinal()).ptr(addr(pred)).ptr(addr(target)).i(rows).i(cols).f(param)
                .ptr(addr(grad)).ptr(addr(rowLoss)), rows, cols);
        boolean perRow = kind == LossKind.CATEGORICAL_CROSSENTROPY || kind == LossKind.CATEGORICAL_CROSSENTROPY_FROM_LOGITS
                || kind.sparse();
        float scale = perRow ? 1f / rows : 1f / (rows * cols);
        reduce(addr(rowLoss), rows, false, scale, out.address(lossIndex), false);
    }

    @Override
    public synchronized void sgdUpdate(Storage w, Storage g, Storage velocity, int n, float lr, float momentum,
                                       boolean nesterov, Scratch scratch) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        long v = momentum == 0f ? 0L : addr(velocity); // not read without momentum, and may be null
        kernels.sgdUpdate.ptr(addr(w)).ptr(addr(g)).ptr(v).i(n).f(lr).f(momentum).i(nesterov)
                .launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void adamUpdate(Storage w, Storage g, Storage m, Storage v, int n, float lr, float lrT,
                                        float beta1, float beta2, float epsilon, float weightDecay, Scratch scratch) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.adamUpdate.ptr(addr(w)).ptr(addr(g)).ptr(addr(m)).ptr(addr(v)).i(n)
                .f(lr).f(lrT).f(beta1).f(beta2).f(epsilon).f(weightDecay)
                .launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void rmspropUpdate(Storage w, Storage g, Storage v, int n, float lr, float rho, float epsilon,
                                           Scratch scratch) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.rmspropUpdate.ptr(addr(w)).ptr(addr(g)).ptr(addr(v)).i(n).f(lr).f(rho).f(epsilon)
                .launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    @Override
    public synchronized void adagradUpdate(Storage w, Storage g, Storage accumulator, int n, float lr, float epsilon,
                                           Scratch scratch) {
        if (n == 0) {
            return;
        }
        context.makeCurrent();
        kernels.adagradUpdate.ptr(addr(w)).ptr(addr(g)).ptr(addr(accumulator)).i(n).f(lr).f(epsilon)
                .launch(stream, elementGrid(n), 1, BLOCK, 1);
    }

    // ---------------------------------------------------------------- launch geometry and checks

    /** Class E: enough blocks to cover n, capped (the kernels grid-stride over the rest). */
    private int elementGrid(int n) {
        return Math.max(1, Math.min(ceilDiv(n, BLOCK), maxElementGrid));
    }

    /** Class R: one block per row (grid-striding past 65535 rows), a power-of-two block up to 256 wide. */
    private void launchRows(Kernel kernel, int rows, int cols) {
        int threads = 32;
        while (threads < cols && threads < BLOCK) {
            threads <<= 1;
        }
        kernel.launch(stream, Math.min(rows, MAX_GRID_Y), 1, threads, 1);
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    /**
     * {@code rows·cols}, refused when negative or past 2³¹−1: the kernels count elements in 32-bit
     * ints, and a product that wrapped would launch a kernel over the wrong count (a silent no-op).
     */
    static int elements(int rows, int cols, String op) {
        if (rows < 0 || cols < 0) {
            throw new LaminaException(op + " on the CUDA backend with a negative size: " + rows + " x " + cols + ".");
        }
        try {
            return Math.multiplyExact(rows, cols);
        } catch (ArithmeticException e) {
            throw new LaminaException(op + " on the CUDA backend over " + rows + " x " + cols + " = " + (long) rows * cols
                    + " elements: at most " + MAX_ELEMENTS + " fit one tensor (32-bit element counts); use smaller batches.");
        }
    }

    private long addr(Storage s) {
        return own(s).address(0);
    }

    private CudaStorage own(Storage s) {
        if (s instanceof CudaStorage) {
            CudaStorage c = (CudaStorage) s;
            if (c.pool == pool) {
                return c;
            }
        }
        throw new LaminaException("Storage " + s + " belongs to another backend (or another CUDA backend instance);"
                + " tensors cannot be mixed across backends.");
    }

    private CudaIndexStorage own(IndexStorage s) {
        if (s instanceof CudaIndexStorage && ((CudaIndexStorage) s).pool == pool) {
            return (CudaIndexStorage) s;
        }
        throw new LaminaException("Index storage " + s + " belongs to another backend; it cannot be used with CUDA.");
    }

    private static void checkRange(String what, CudaStorage s, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > s.size()) {
            throw new LaminaException(what + " of " + length + " floats at offset " + offset
                    + " does not fit a storage of " + s.size() + " floats.");
        }
    }
}
