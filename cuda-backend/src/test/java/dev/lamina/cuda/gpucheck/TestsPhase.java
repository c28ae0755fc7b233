package dev.lamina.cuda.gpucheck;

import dev.lamina.cuda.CudaInternals;
import java.util.Locale;

/**
 * A pass of the CUDA module's own JUnit tests in this JVM, on the GEMM path and with the options its
 * JVM was started with (the sync pass: {@code -Dlamina.cuda.sync=true}, every launch waits, so a
 * faulting kernel is named). Fails when a test fails; counts what executed, for the guard.
 */
final class TestsPhase {
    private TestsPhase() {
    }

    static PhaseResult run(String name, String title, String selection) {
        PhaseResult r = new PhaseResult(name);
        r.line("## " + title).line("");
        String path = System.getProperty("lamina.cuda.gemm", "auto");
        r.line("- selection: `" + selection + "`; `-Dlamina.cuda.gemm=" + path + "`"
                + (Boolean.getBoolean("lamina.cuda.sync") ? ", `-Dlamina.cuda.sync=true` (every launch waits for its kernel)" : ""));
        r.json.put("selection", selection).put("gemm", path).put("sync", Boolean.getBoolean("lamina.cuda.sync"));
        if (path.equals("cublas") && CudaInternals.cublasLoadFailure() != null) {
            r.skip("cuBLAS does not load here (" + CudaInternals.cublasLoadFailure() + "); the own-kernel pass covers the rest");
            r.line("- skipped: " + r.skipReason).line("");
            return r;
        }
        String reason = CudaInternals.unavailableReason();
        if (reason != null) {
            // run anyway: the tests skip themselves, and the counts show it
            r.line("- CUDA is not usable: " + reason);
        }
        JUnitPass pass = JUnitPass.run(selection);
        pass.describe(r, 12);
        r.json.put("tests", pass.toJson());
        r.fact("executed", pass.executed());
        r.fact("failed", pass.failed);
        r.fact("skipped", pass.skipped);
        if (pass.failed > 0) {
            r.fail(pass.failed + " test(s) failed");
        }
        if (pass.executed() == 0) {
            r.fail("no test executed (" + pass.skipped + " skipped)");
        }
        r.line(String.format(Locale.ROOT, "- PTX load in this JVM: %.1f ms", CudaInternals.ptxLoadMillis())).line("");
        return r;
    }
}
