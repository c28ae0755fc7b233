package dev.lamina.cuda.gpucheck;

import dev.lamina.cuda.CudaBackend;
import dev.lamina.cuda.CudaInternals;
import java.util.Locale;

/**
 * The machine: whether CUDA is usable (and why not), the GPU, its driver, the GEMM path {@code auto}
 * takes and why, how long loading the PTX took (the driver's JIT compile), and the host.
 */
final class EnvironmentPhase {
    private EnvironmentPhase() {
    }

    static PhaseResult run() {
        PhaseResult r = new PhaseResult("env");
        r.line("## Environment").line("");
        String reason = CudaInternals.unavailableReason();
        CudaInternals.Device d = CudaInternals.device();
        r.fact("usable", reason == null);
        if (reason != null) {
            r.fact("reason", reason);
        }
        r.fact("emulated", d != null && d.emulated());
        r.json.put("cuda_usable", reason == null).put("reason_not_usable", reason);
        r.line("| what | value |").line("|---|---|");
        r.line("| CUDA usable | " + (reason == null ? "yes" : "**no**: " + reason) + " |");
        if (d != null) {
            r.fact("multiprocessors", d.multiprocessors());
            r.line("| GPU | " + d.name() + (d.emulated() ? " (**emulated**: a stand-in driver runs the kernels on the CPU)" : "") + " |");
            r.line("| compute capability | " + d.computeCapability() + " |");
            r.line("| SMs | " + d.multiprocessors() + " |");
            r.line(String.format(Locale.ROOT, "| memory | %.1f GiB |", d.totalBytes() / (double) (1L << 30)));
            r.line("| driver supports | CUDA " + d.driverCuda() + " |");
            r.json.obj("device").put("name", d.name()).put("compute_capability", d.computeCapability())
                    .put("multiprocessors", d.multiprocessors()).put("memory_bytes", d.totalBytes())
                    .put("driver_cuda", d.driverCuda()).put("emulated", d.emulated());
        }
        String cublas = CudaInternals.cublasLoadFailure();
        r.fact("cublas", cublas == null);
        r.json.put("cublas_loads", cublas == null).put("cublas_failure", cublas);
        r.line("| cuBLAS (JCublas2 + libcublas.so.12) | " + (cublas == null ? "loads" : "does not load: " + cublas) + " |");
        if (reason == null) {
            try (CudaBackend auto = CudaInternals.backend("auto")) {
                String gemm = auto.description().lines().filter(l -> l.contains("GEMM:")).findFirst().orElse("?").trim();
                r.fact("gemmPath", auto.gemmPathInUse());
                r.json.put("gemm_path_auto", auto.gemmPathInUse()).put("gemm_description", gemm);
                r.line("| GEMM path of `auto` | " + auto.gemmPathInUse() + " — " + gemm.replace("GEMM: ", "") + " |");
            }
            double ms = CudaInternals.ptxLoadMillis();
            r.fact("ptxLoadMillis", ms);
            r.json.put("ptx_load_ms", ms);
            r.line(String.format(Locale.ROOT, "| PTX load, JIT included (first in this run) | %.1f ms |", ms));
        }
        String cache = System.getenv("CUDA_CACHE_PATH");
        r.json.put("cuda_cache_path", cache);
        r.line("| CUDA_CACHE_PATH | " + (cache == null ? "(unset: the driver's default)" : "`" + cache + "`") + " |");
        r.line("| JCuda | 12.6.0 (natives built with CUDA 12.0) |");
        r.line("| Java | " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ") |");
        r.line("| host CPU cores | " + Runtime.getRuntime().availableProcessors() + " |");
        r.line("| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch") + " |");
        r.json.put("java", System.getProperty("java.runtime.version")).put("cpu_cores", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        if (reason != null) {
            r.skip("CUDA is not usable here: " + reason);
        }
        r.line("");
        return r;
    }
}
