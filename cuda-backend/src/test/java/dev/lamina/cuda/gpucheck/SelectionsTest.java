package dev.lamina.cuda.gpucheck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.cuda.CudaInternals;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What only a real GPU runs is checked here, where it is free: the full-size GEMM shapes reach every
 * own-SGEMM kernel at an H200's 132 SMs (and the small ones at their pretend SM counts), and every
 * JUnit class a phase names exists.
 */
class SelectionsTest {

    @Test
    void theLargeShapesReachEveryGemmKernelOnA132SmGpu() {
        assertEquals(Set.of("128x128", "64x64", "64x64 split-k"), kernels(LargeGemmPhase.FULL, 132));
        assertEquals(Set.of("128x128", "64x64", "64x64 split-k"), kernels(LargeGemmPhase.SMALL, 0));
    }

    private static Set<String> kernels(java.util.List<LargeGemmPhase.Shape> shapes, int sms) {
        Set<String> found = new TreeSet<>();
        for (LargeGemmPhase.Shape s : shapes) {
            found.add(CudaInternals.kernelFor(s.m(), s.n(), s.k(), sms > 0 ? sms : s.pretendSms()).replaceAll(" \\(.*", ""));
        }
        return found;
    }

    @Test
    void everyClassAPhaseRunsExists() {
        for (String list : new String[] {TrainingPhase.LESSONS, PhaseMain.SYNC_FULL, PhaseMain.TESTS_SMALL}) {
            for (String name : list.split(",")) {
                assertDoesNotThrow(() -> Class.forName("dev.lamina.cuda." + name), name);
            }
        }
    }
}
