package dev.lamina.cuda.gpucheck;

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
 * GEMM on shapes that reach every kernel of the own SGEMM at the GPU's real SM count (128×128 tiles
 * only when ⌈m/128⌉·⌈n/128⌉ ≥ SMs, split-k only when 64×64 tiles fill less than half of them), with
 * all four transposes, on both GEMM paths, against the CPU backend.
 *
 * <p>The check is the rigorous bound of float dot products: each of CPU and GPU is within
 * k·u·Σ|a||b| of the exact value (u = 2⁻²⁴), so they may differ by twice that per element; a wrong
 * tile, a lost k-chunk or a misread transpose is off by about the result itself, far above it.
 * Under emulation (scale small) the shapes shrink and the backend is told a small SM count so that
 * the same kernels are chosen.
 */
final class LargeGemmPhase {
    private static final double U = Math.scalb(1.0, -24);

    /** m, n, k, and the SM count a small-scale run pretends to have (full scale uses the GPU's). */
    record Shape(int m, int n, int k, int pretendSms) {
        String text() {
            return m + "×" + n + "×" + k;
        }
    }

    static final List<Shape> FULL = List.of(
            new Shape(1536, 1536, 1536, 0), new Shape(4096, 4096, 512, 0), new Shape(8192, 512, 512, 0),
            new Shape(1000, 1000, 1000, 0), new Shape(128, 256, 8192, 0), new Shape(100, 300, 4099, 0));
    static final List<Shape> SMALL = List.of(
            new Shape(192, 192, 192, 4), new Shape(256, 256, 64, 4), new Shape(512, 64, 64, 4),
            new Shape(100, 100, 100, 8), new Shape(32, 64, 1024, 8), new Shape(20, 60, 600, 8));

    private LargeGemmPhase() {
    }

    static PhaseResult run(Scale scale) {
        PhaseResult r = new PhaseResult("gemm");
        r.line("## GEMM conformance on large shapes, both paths, against the CPU backend").line("");
        int sms = CudaInternals.device().multiprocessors();
        r.line(scale.full() ? "- shapes at the GPU's " + sms + " SMs; all four transposes each"
                : "- emulated: small shapes, the backend told a small SM count so the same kernels are chosen; all four transposes each");
        r.line("- pass: |gpu − cpu| ≤ 2·k·2⁻²⁴·Σ|a||b| per element (the float dot-product bound); `err/bound` is the largest ratio").line("");
        r.line("| path | shape | kernel | transposes | max abs error | max err/bound | result |").line("|---|---|---|---|---|---|---|");
        Backend cpu = Backends.get("cpu");
        List<String> paths = new ArrayList<>(List.of("kernel"));
        if (CudaInternals.cublasLoadFailure() == null) {
            paths.add("cublas");
        } else {
            r.line("").line("cuBLAS path not run: " + CudaInternals.cublasLoadFailure());
        }
        List<Object> rows = r.json.list("products");
        int checked = 0;
        for (Shape s : scale.full() ? FULL : SMALL) {
            int pretend = scale.full() ? sms : s.pretendSms();
            Random random = new Random(s.m() * 31L + s.n() * 7L + s.k());
            float[] a = uniform(random, s.m() * s.k());
            float[] b = uniform(random, s.k() * s.n());
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 2) != 0;
                boolean tb = (t & 1) != 0;
                float[] want = product(cpu, ta, tb, s, a, b);
                float[] bound = product(cpu, ta, tb, s, abs(a), abs(b));
                for (String path : paths) {
                    String kernel = path.equals("cublas") ? "cublasSgemm" : CudaInternals.kernelFor(s.m(), s.n(), s.k(), pretend);
                    float[] got;
                    try (CudaBackend gpu = path.equals("cublas") ? CudaInternals.backend("cublas")
                            : scale.full() ? CudaInternals.backend("kernel") : CudaInternals.kernelBackend(pretend)) {
                        got = product(gpu, ta, tb, s, a, b);
                    }
                    double maxAbs = 0;
                    double maxRatio = 0;
                    int firstBad = -1;
                    for (int i = 0; i < want.length; i++) {
                        double err = Math.abs((double) got[i] - want[i]);
                        double limit = 2 * s.k() * U * bound[i] + Float.MIN_NORMAL;
                        if (!(err <= limit) && firstBad < 0) {
                            firstBad = i;
                        }
                        maxAbs = Math.max(maxAbs, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                        maxRatio = Math.max(maxRatio, err / limit);
                    }
                    String tr = (ta ? "T" : "N") + (tb ? "T" : "N");
                    boolean ok = firstBad < 0;
                    r.line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3g | %.3g | %s |", path, s.text(), kernel, tr, maxAbs,
                            maxRatio, ok ? "ok" : "**FAILED**"));
                    rows.add(new Json.Obj().put("path", path).put("m", s.m()).put("n", s.n()).put("k", s.k()).put("kernel", kernel)
                            .put("transposes", tr).put("sms", pretend).put("max_abs_error", maxAbs).put("max_error_over_bound", maxRatio)
                            .put("ok", ok));
                    if (!ok) {
                        r.fail(path + " " + s.text() + " " + tr + " (" + kernel + "): element " + firstBad + " is "
                                + got[firstBad] + ", the CPU says " + want[firstBad]);
                    }
                    checked++;
                }
            }
        }
        r.fact("checked", checked);
        r.line("");
        return r;
    }

    private static float[] product(Backend backend, boolean ta, boolean tb, Shape s, float[] a, float[] b) {
        Storage sa = backend.allocate(a.length);
        Storage sb = backend.allocate(b.length);
        Storage sc = backend.allocate((long) s.m() * s.n());
        try {
            backend.upload(a, 0, sa, 0, a.length);
            backend.upload(b, 0, sb, 0, b.length);
            // the stored operands are read as op(A) = m×k and op(B) = k×n: the same numbers, other layouts
            backend.gemm(ta, tb, s.m(), s.n(), s.k(), 1f, sa, sb, 0f, sc);
            float[] c = new float[s.m() * s.n()];
            backend.download(sc, 0, c, 0, c.length);
            return c;
        } finally {
            backend.release(sa);
            backend.release(sb);
            backend.release(sc);
        }
    }

    private static float[] uniform(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }
}
