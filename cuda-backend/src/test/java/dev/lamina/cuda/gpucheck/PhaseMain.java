package dev.lamina.cuda.gpucheck;

import java.nio.file.Path;

/**
 * One phase of gpu-check in its own JVM (started by {@link GpuCheck}): a kernel fault kills the
 * CUDA context for good, and {@code -Dlamina.cuda.sync} is read once per JVM, so each phase gets a
 * fresh one. Usage: {@code PhaseMain PHASE OUT_DIR}; writes {@code OUT_DIR/phase-PHASE.*}.
 */
public final class PhaseMain {
    private PhaseMain() {
    }

    public static void main(String[] args) {
        String phase = args[0];
        Path out = Path.of(args[1]);
        Scale scale = Scale.current();
        boolean full = scale.full();
        PhaseResult result;
        try {
            result = switch (phase) {
                case "env" -> EnvironmentPhase.run();
                case "sync" -> TestsPhase.run("sync", "First pass, every launch synchronised (-Dlamina.cuda.sync=true)",
                        full ? SYNC_FULL : "CudaOpsTest");
                case "tests-cublas" -> TestsPhase.run("tests-cublas", "CUDA test suite, cuBLAS GEMM path", selection(full));
                case "tests-kernel" -> TestsPhase.run("tests-kernel", "CUDA test suite, own SGEMM kernel path", selection(full));
                case "gemm" -> LargeGemmPhase.run(scale);
                case "training" -> TrainingPhase.run(scale);
                case "speed" -> SpeedPhase.run(scale);
                default -> throw new IllegalArgumentException("unknown phase " + phase);
            };
        } catch (RuntimeException | LinkageError e) {
            // a phase that throws (a kernel fault, say) still leaves a result naming what happened
            e.printStackTrace();
            result = new PhaseResult(phase);
            result.line("## " + phase).line("").line("- **error**: `" + e + "`").line("");
            result.fail(e.toString().replace('\n', ' '));
        }
        result.write(out);
        System.exit(0); // the CUDA context and JCuda's threads must not keep the JVM alive
    }

    static final String SYNC_FULL = "CudaConformanceTest,CudaOpsTest";
    static final String TESTS_SMALL = "EmulatedGpuRunTest,CudaInputChecksTest,CudaBackendProviderTest,CudaErrorsTest,CudaOpsTest";

    /** The whole module's tests on a GPU; under emulation a short list that still goes through every layer. */
    static String selection(boolean full) {
        return full ? "package:dev.lamina.cuda" : TESTS_SMALL;
    }
}
