package dev.lamina.cuda.gpucheck;

import dev.lamina.FitOptions;
import dev.lamina.PreparedData;
import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import dev.lamina.backend.Storage;
import dev.lamina.cuda.CudaBackend;
import dev.lamina.cuda.CudaInternals;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Speed: SGEMM TFLOP/s on both GEMM paths for n = 1024 … 8192, and the training step of the three
 * reference models at batch 128, 1024 and 4096 on the GPU and on the CPU backend of the same machine
 * (all its cores), with GPU÷CPU. Under emulation the sizes are tiny and the figures meaningless: the
 * phase runs only so that it cannot rot.
 */
final class SpeedPhase {
    private SpeedPhase() {
    }

    static PhaseResult run(Scale scale) {
        PhaseResult r = new PhaseResult("speed");
        r.line("## Speed").line("");
        if (!scale.full()) {
            r.line("- **emulated: tiny sizes, figures meaningless** (the kernels run on the CPU); this only proves the phase works").line("");
        }
        sgemm(r, scale);
        training(r, scale);
        return r;
    }

    private static void sgemm(PhaseResult r, Scale scale) {
        int[] sizes = scale.full() ? new int[] {1024, 2048, 4096, 8192} : new int[] {64, 128};
        List<String> paths = new ArrayList<>(List.of("kernel"));
        if (CudaInternals.cublasLoadFailure() == null) {
            paths.add("cublas");
        }
        r.line("### SGEMM, C = A·B, n×n×n, float32 (TF32 off)").line("");
        r.line("| n | " + String.join(" | ", paths.stream().map(p -> p.equals("kernel") ? "own kernel TFLOP/s" : "cuBLAS TFLOP/s").toList())
                + " |").line("|---|" + "---|".repeat(paths.size()));
        List<Object> rows = r.json.list("sgemm");
        for (int n : sizes) {
            StringBuilder line = new StringBuilder("| " + n + " |");
            Json.Obj row = new Json.Obj().put("n", n);
            for (String path : paths) {
                try (CudaBackend gpu = CudaInternals.backend(path)) {
                    double tflops = sgemmTflops(gpu, n, scale);
                    line.append(String.format(Locale.ROOT, " %.3g |", tflops));
                    row.put(path.equals("kernel") ? "own_kernel_tflops" : "cublas_tflops", tflops);
                }
            }
            rows.add(row);
            r.line(line.toString());
        }
        if (paths.size() == 1) {
            r.line("").line("cuBLAS not measured: " + CudaInternals.cublasLoadFailure());
        }
        r.line("");
    }

    private static double sgemmTflops(Backend gpu, int n, Scale scale) {
        Random random = new Random(n);
        float[] host = new float[n * n];
        for (int i = 0; i < host.length; i++) {
            host[i] = random.nextFloat() * 2 - 1;
        }
        Storage a = gpu.allocate((long) n * n);
        Storage b = gpu.allocate((long) n * n);
        Storage c = gpu.allocate((long) n * n);
        try {
            gpu.upload(host, 0, a, 0, host.length);
            gpu.upload(host, 0, b, 0, host.length);
            gpu.gemm(false, false, n, n, n, 1f, a, b, 0f, c); // warm-up
            gpu.synchronize();
            double minSeconds = scale.full() ? 0.3 : 0.02;
            int calls = 0;
            long start = System.nanoTime();
            do {
                gpu.gemm(false, false, n, n, n, 1f, a, b, 0f, c);
                calls++;
                if (calls % 4 == 0 || scale == Scale.SMALL) {
                    gpu.synchronize();
                }
            } while (calls < 3 || (System.nanoTime() - start) / 1e9 < minSeconds);
            gpu.synchronize();
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * n * calls / seconds / 1e12;
        } finally {
            gpu.release(a);
            gpu.release(b);
            gpu.release(c);
        }
    }

    private static void training(PhaseResult r, Scale scale) {
        int[] batches = scale.full() ? new int[] {128, 1024, 4096} : new int[] {16};
        int steps = scale.full() ? 8 : 2;
        Backend cpu = Backends.get("cpu");
        r.line("### Training step (fit on prepared data, " + steps + " steps per epoch; the first epoch is a warm-up)").line("");
        r.line("| model | batch | GPU ms/step | CPU ms/step | GPU samples/s | CPU samples/s | GPU÷CPU |").line("|---|---|---|---|---|---|---|");
        List<Object> rows = r.json.list("train_step");
        try (CudaBackend gpu = CudaInternals.backend("auto")) {
            for (ReferenceModels model : ReferenceModels.values()) {
                for (int batch : batches) {
                    float[][] x = model.inputs(batch * steps);
                    float[][] y = model.targets(x);
                    double gpuSeconds = stepSeconds(model, gpu, x, y, batch, steps, scale);
                    double cpuSeconds = stepSeconds(model, cpu, x, y, batch, steps, scale);
                    r.line(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.0f | %.0f | %.2f× |", model.letter(), batch,
                            gpuSeconds * 1e3, cpuSeconds * 1e3, batch / gpuSeconds, batch / cpuSeconds, cpuSeconds / gpuSeconds));
                    rows.add(new Json.Obj().put("model", model.letter()).put("batch", batch).put("gemm", gpu.gemmPathInUse())
                            .put("gpu_ms_per_step", gpuSeconds * 1e3).put("cpu_ms_per_step", cpuSeconds * 1e3)
                            .put("gpu_samples_per_s", batch / gpuSeconds).put("cpu_samples_per_s", batch / cpuSeconds)
                            .put("gpu_over_cpu", cpuSeconds / gpuSeconds));
                }
            }
        }
        r.line("").line("GPU÷CPU is the GPU's speed-up: CPU time per step over GPU time per step.").line("");
    }

    /** Seconds per training step: one warm-up epoch, then epochs until enough time has passed. */
    private static double stepSeconds(ReferenceModels model, Backend backend, float[][] x, float[][] y, int batch, int steps,
                                      Scale scale) {
        try (Sequential net = model.build(backend); PreparedData data = net.prepare(x, y)) {
            FitOptions options = new FitOptions().epochs(1).batchSize(batch).verbose(0).seed(7);
            net.fit(data, options);
            double minSeconds = scale.full() ? 0.5 : 0.0;
            int epochs = 0;
            long start = System.nanoTime();
            do {
                net.fit(data, options);
                epochs++;
            } while (epochs < 50 && (System.nanoTime() - start) / 1e9 < minSeconds);
            return (System.nanoTime() - start) / 1e9 / (epochs * (double) steps);
        }
    }
}
