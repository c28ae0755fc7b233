package dev.lamina.cuda.gpucheck;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code -Dlamina.cuda.expect}: what a gpu-check run must have tested to pass. Every CUDA test skips
 * itself where CUDA is not usable, so without this a GPU run that silently fell back (JCuda's natives
 * in a {@code noexec} temporary folder, {@code cuInit} failing in a container) would look green.
 */
final class Guard {
    private Guard() {
    }

    /**
     * The reasons the run fails {@code expect} ("gpu", "emulated" or "none"); empty when it holds.
     *
     * @param executed CUDA tests that executed (passed or failed) in the own-kernel pass
     * @param passText that pass's report section, whose skip reasons are quoted when too few ran
     */
    static List<String> check(String expect, boolean usable, boolean emulated, String notUsableReason, int executed,
                              String passText) {
        List<String> why = new ArrayList<>();
        if (expect.equals("none")) {
            return why;
        }
        if (!usable) {
            why.add("expect=" + expect + " but CUDA is not usable here: " + notUsableReason + " — nothing ran on "
                    + (expect.equals("gpu") ? "a GPU" : "the emulated GPU"));
            return why;
        }
        if (expect.equals("gpu") && emulated) {
            why.add("expect=gpu but the device is Lamina's emulated GPU (the stand-in libcuda.so.1 is on the library path),"
                    + " not a real one");
        }
        if (expect.equals("emulated") && !emulated) {
            why.add("expect=emulated but the device is a real GPU");
        }
        int min = expect.equals("gpu") ? GpuCheck.MIN_GPU_TESTS : GpuCheck.MIN_EMULATED_TESTS;
        if (executed < min) {
            why.add("only " + executed + " CUDA tests executed in the own-kernel pass; at least " + min
                    + " must for expect=" + expect + skipReasons(passText));
        }
        return why;
    }

    private static String skipReasons(String passText) {
        String reasons = passText.lines().filter(l -> l.contains("skipped ") && l.contains("×: "))
                .map(l -> l.substring(l.indexOf("×: ") + 3)).limit(3).reduce((a, b) -> a + "; " + b).orElse("");
        return reasons.isEmpty() ? "" : " (skipped because: " + reasons + ")";
    }
}
