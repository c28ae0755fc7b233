package dev.lamina.cuda.gpucheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each way a run can fall short of {@code expect}, and the reason it gives. */
class GuardTest {

    @Test
    void noCudaFailsExpectGpuAndExpectEmulated() {
        List<String> why = Guard.check("gpu", false, false, "no CUDA driver: libcuda.so.1: cannot open shared object file", 0, "");
        assertEquals(1, why.size(), why::toString);
        assertTrue(why.get(0).contains("CUDA is not usable here: no CUDA driver: libcuda.so.1") && why.get(0).contains("a GPU"), why::toString);
        assertTrue(Guard.check("emulated", false, false, "x", 0, "").get(0).contains("the emulated GPU"));
    }

    @Test
    void theEmulatorIsNotAGpuNorAGpuTheEmulator() {
        assertTrue(Guard.check("gpu", true, true, null, 1000, "").get(0).contains("emulated GPU"));
        assertTrue(Guard.check("emulated", true, false, null, 1000, "").get(0).contains("a real GPU"));
    }

    @Test
    void tooFewExecutedTestsFailWithTheSkipReasons() {
        String pass = "- tests: **12 executed**\n  - skipped 300×: TestAbortedException: CUDA not usable here: cuInit failed\n";
        List<String> why = Guard.check("gpu", true, false, null, 12, pass);
        assertEquals(1, why.size(), why::toString);
        assertTrue(why.get(0).contains("only 12 CUDA tests executed") && why.get(0).contains("at least " + GpuCheck.MIN_GPU_TESTS)
                && why.get(0).contains("skipped because: TestAbortedException: CUDA not usable here: cuInit failed"), why::toString);
    }

    @Test
    void enoughTestsOnTheRightDevicePass() {
        assertTrue(Guard.check("gpu", true, false, null, GpuCheck.MIN_GPU_TESTS, "").isEmpty());
        assertTrue(Guard.check("emulated", true, true, null, GpuCheck.MIN_EMULATED_TESTS, "").isEmpty());
        assertTrue(Guard.check("none", false, false, "x", 0, "").isEmpty());
    }
}
