package dev.lamina.cuda.gpucheck;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import dev.lamina.cuda.CudaBackend;
import dev.lamina.cuda.CudaInternals;
import java.util.Locale;

/**
 * CPU versus GPU training: the three reference models trained from the same seed on the CPU backend
 * and on CUDA (GEMM path {@code auto}) give the same loss history within float tolerance; then, on a
 * real GPU, the course's lessons and the CPU-vs-CUDA tests on the bundled data sets, as JUnit runs.
 *
 * <p>Some models amplify rounding: model (b), three 512-wide layers under Adam, drifts by 0.7% within
 * three epochs between the CPU backend and the reference backend, which differ only in the order of
 * their sums. So the GPU is held to the larger of a fixed tolerance and a multiple of that measured
 * CPU-versus-reference spread, epoch by epoch: a GPU no further from the CPU than another correct
 * backend is, passes; a wrong kernel, which moves the loss far more, does not.
 */
final class TrainingPhase {
    /** Relative difference always allowed between the CPU's and the GPU's loss in an epoch. */
    static final double TOLERANCE = 5e-3;
    /** How many times the CPU-versus-reference difference of an epoch the GPU may differ by. */
    static final double SPREAD_FACTOR = 4;
    /** The JUnit classes run on a real GPU after the reference models. */
    static final String LESSONS = "CudaCourseLessonsTest,CudaLessonFactsTest,CpuVsCudaTrainingTest";

    private TrainingPhase() {
    }

    static PhaseResult run(Scale scale) {
        PhaseResult r = new PhaseResult("training");
        r.line("## CPU versus GPU training").line("");
        int rows = scale.full() ? 4096 : 256;
        int batch = scale.full() ? 128 : 32;
        int epochs = scale.full() ? 5 : 2;
        r.line(String.format(Locale.ROOT, "- reference models on %d synthetic rows, batch %d, %d epochs, seed 7; pass: every epoch's loss"
                + " within %.0e (relative) of the CPU's, or within %.0f× the CPU-versus-reference difference of that epoch (the rounding"
                + " spread of two correct backends), and the GPU's loss falls", rows, batch, epochs, TOLERANCE, SPREAD_FACTOR)).line("");
        r.line("| model | GEMM | CPU loss per epoch | reference loss per epoch | GPU loss per epoch | largest relative difference GPU–CPU"
                + " | largest relative difference reference–CPU | result |").line("|---|---|---|---|---|---|---|---|");
        Backend cpu = Backends.get("cpu");
        Backend reference = Backends.get("reference");
        try (CudaBackend gpu = CudaInternals.backend("auto")) {
            for (ReferenceModels model : ReferenceModels.values()) {
                float[][] x = model.inputs(rows);
                float[][] y = model.targets(x);
                double[] onCpu = train(model, cpu, x, y, batch, epochs);
                double[] onReference = train(model, reference, x, y, batch, epochs);
                double[] onGpu = train(model, gpu, x, y, batch, epochs);
                double largest = 0;
                double largestSpread = 0;
                boolean within = true;
                for (int i = 0; i < onCpu.length; i++) {
                    double scale0 = Math.max(1e-6, Math.abs(onCpu[i]));
                    double d = Math.abs(onCpu[i] - onGpu[i]) / scale0;
                    double spread = Math.abs(onCpu[i] - onReference[i]) / scale0;
                    largest = Math.max(largest, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                    largestSpread = Math.max(largestSpread, spread);
                    within &= d <= Math.max(TOLERANCE, SPREAD_FACTOR * spread);
                }
                boolean learns = onGpu[onGpu.length - 1] < onGpu[0];
                boolean ok = within && learns;
                r.line(String.format(Locale.ROOT, "| %s: %s | %s | %s | %s | %s | %.3g | %.3g | %s |", model.letter(), model.description,
                        gpu.gemmPathInUse(), format(onCpu), format(onReference), format(onGpu), largest, largestSpread,
                        ok ? "ok" : "**FAILED**"));
                r.json.obj("model_" + model.letter()).put("description", model.description).put("gemm", gpu.gemmPathInUse())
                        .put("cpu_loss", onCpu).put("reference_loss", onReference).put("gpu_loss", onGpu)
                        .put("largest_relative_difference", largest).put("largest_reference_spread", largestSpread).put("ok", ok);
                if (!ok) {
                    r.fail("model " + model.letter() + ": " + (learns ? "histories differ by " + largest + " (CPU versus reference: "
                            + largestSpread + ")" : "the GPU's loss does not fall"));
                }
            }
        }
        r.line("");
        if (scale.full()) {
            r.line("### The course's lessons and the data-set models on the GPU").line("");
            JUnitPass lessons = JUnitPass.run(LESSONS);
            lessons.describe(r, 12);
            r.json.put("lessons", lessons.toJson());
            if (lessons.failed > 0 || lessons.executed() == 0) {
                r.fail("lessons: " + lessons.failed + " failed, " + lessons.executed() + " executed");
            }
        } else {
            r.line("- the lessons run in the module's test suite under emulation; here only on a real GPU");
        }
        r.line("");
        return r;
    }

    private static double[] train(ReferenceModels model, Backend backend, float[][] x, float[][] y, int batch, int epochs) {
        try (Sequential net = model.build(backend)) {
            return net.fit(x, y, new FitOptions().epochs(epochs).batchSize(batch).verbose(0).seed(7)).get("loss");
        }
    }

    private static String format(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.5g", v));
        }
        return sb.toString();
    }

}
