package dev.lamina.bench;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import dev.lamina.backend.Storage;
import dev.lamina.cpu.CpuBackend;
import dev.lamina.cpu.WorkerPool;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.ojalgo.matrix.store.R032Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code C = op(A)·op(B)} in float32, Lamina's CPU backend beside the pure-Java peers, in one run.
 * Time per product; {@link GemmReport} turns the results into GFLOP/s (2·m·n·k / time) and ratios.
 *
 * <p>{@code impl}: {@code lamina-vector} (Vector API kernel), {@code lamina-scalar} (the portable
 * path a JVM without the Vector API runs), {@code ejml} ({@code CommonOps_FDRM}), {@code ejml-mt}
 * ({@code CommonOps_MT_FDRM}), {@code ojalgo} ({@code R032Store.fillByMultiplying}), {@code cuda} (Lamina's
 * CUDA backend; each product waits for the GPU, and where no usable GPU is found the setup fails with
 * the reason: leave it out with {@code -p impl=...}). Threads: each
 * library's default; for one-thread figures run the forks with {@code -XX:ActiveProcessorCount=1}
 * (and {@code -Dlamina.cpu.threads=1}).
 *
 * <p>The forks pin G1, the JVM's default collector on any machine with two or more processors:
 * {@code -XX:ActiveProcessorCount=1} would otherwise make the JVM pick the serial collector, under
 * which the same products measured 15–25% slower here (256³: 149–166 against 198–204 GFLOP/s), an
 * effect of how that heap's memory is laid out and touched, not of the code under test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

    @Param({"lamina-vector", "lamina-scalar", "ejml", "ejml-mt", "ojalgo", "cuda"})
    public String impl;

    /** Square sizes, then the reference models' Dense shapes: forward x·W, and backward xᵀ·dz and dz·Wᵀ. */
    @Param({"128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
        "256x512x784", "784x512x256:TN", "256x784x512:NT",
        "128x512x512", "512x512x128:TN", "128x512x512:NT"})
    public String shape;

    private GemmShape s;
    private Runnable product;
    private CpuBackend cpu;

    @Setup
    public void setUp() {
        s = GemmShape.parse(shape);
        Random random = new Random(42);
        float[] a = randoms(random, s.m * s.k);
        float[] b = randoms(random, s.k * s.n);
        switch (impl) {
            case "lamina-vector":
            case "lamina-scalar": {
                cpu = new CpuBackend(impl.equals("lamina-vector"), WorkerPool.defaultThreads());
                Storage sa = upload(cpu, a);
                Storage sb = upload(cpu, b);
                Storage sc = cpu.allocate((long) s.m * s.n);
                product = () -> cpu.gemm(s.transA, s.transB, s.m, s.n, s.k, 1f, sa, sb, 0f, sc);
                break;
            }
            case "ejml":
            case "ejml-mt": {
                FMatrixRMaj ma = s.transA ? new FMatrixRMaj(s.k, s.m, true, a) : new FMatrixRMaj(s.m, s.k, true, a);
                FMatrixRMaj mb = s.transB ? new FMatrixRMaj(s.n, s.k, true, b) : new FMatrixRMaj(s.k, s.n, true, b);
                FMatrixRMaj mc = new FMatrixRMaj(s.m, s.n);
                product = ejml(impl.equals("ejml-mt"), ma, mb, mc);
                break;
            }
            case "ojalgo": {
                R032Store ma = s.transA ? R032Store.FACTORY.make(s.k, s.m) : R032Store.FACTORY.make(s.m, s.k);
                R032Store mb = s.transB ? R032Store.FACTORY.make(s.n, s.k) : R032Store.FACTORY.make(s.k, s.n);
                fill(ma, a);
                fill(mb, b);
                R032Store mc = R032Store.FACTORY.make(s.m, s.n);
                product = () -> mc.fillByMultiplying(s.transA ? ma.transpose() : ma, s.transB ? mb.transpose() : mb);
                break;
            }
            case "cuda": {
                BackendsFound.requireUsable("cuda");
                Backend gpu = Backends.get("cuda");
                Storage sa = upload(gpu, a);
                Storage sb = upload(gpu, b);
                Storage sc = gpu.allocate((long) s.m * s.n);
                product = () -> {
                    gpu.gemm(s.transA, s.transB, s.m, s.n, s.k, 1f, sa, sb, 0f, sc);
                    gpu.synchronize();      // the GPU queues work: wait, so the time is the product's
                };
                break;
            }
            default:
                throw new IllegalArgumentException("Unknown impl " + impl);
        }
    }

    private Runnable ejml(boolean concurrent, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (concurrent) {
            if (s.transA) {
                return () -> CommonOps_MT_FDRM.multTransA(a, b, c);
            }
            return s.transB ? () -> CommonOps_MT_FDRM.multTransB(a, b, c) : () -> CommonOps_MT_FDRM.mult(a, b, c);
        }
        if (s.transA) {
            return () -> CommonOps_FDRM.multTransA(a, b, c);
        }
        return s.transB ? () -> CommonOps_FDRM.multTransB(a, b, c) : () -> CommonOps_FDRM.mult(a, b, c);
    }

    @Benchmark
    public void gemm() {
        product.run();
    }

    private static float[] randoms(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static Storage upload(Backend cpu, float[] x) {
        Storage s = cpu.allocate(x.length);
        cpu.upload(x, 0, s, 0, x.length);
        return s;
    }

    /** Fills a row-major array into an ojAlgo store (column-major inside). */
    private static void fill(R032Store store, float[] rowMajor) {
        int rows = (int) store.countRows();
        int cols = (int) store.countColumns();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                store.set(i, j, rowMajor[i * cols + j]);
            }
        }
    }
}
