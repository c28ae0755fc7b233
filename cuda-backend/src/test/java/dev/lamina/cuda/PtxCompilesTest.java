package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The shipped PTX compiles with the PTX compiler of CUDA 12.0 (linked into JCuda's
 * {@code jcuda.nvptxcompiler}, which needs no GPU and no driver) for every GPU generation we
 * support. A CUDA 12.0+ driver JIT-compiles PTX with the same compiler, so this proves the PTX loads
 * there, not only on CUDA 13 drivers.
 */
class PtxCompilesTest {
    private static String ptx;
    private static String unavailable;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PtxCompilesTest.class.getResourceAsStream("/dev/lamina/cuda/lamina.ptx")) {
            assertNotNull(in, "lamina.ptx is not on the class path");
            ptx = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        try {
            JNvPTXCompiler.setExceptionsEnabled(false);
            int[] major = {0};
            int[] minor = {0};
            JNvPTXCompiler.nvPTXCompilerGetVersion(major, minor);
            System.out.println("PTX compiler in JCuda: " + major[0] + "." + minor[0]);
        } catch (LinkageError e) {
            unavailable = "JCuda's PTX compiler cannot load on this platform: " + e;
        }
    }

    /** Compiles and returns the info log, or fails with the error log. */
    private static String compile(String source, String arch, int expected) {
        assumeTrue(unavailable == null, unavailable);
        byte[] bytes = (source + "\0").getBytes(StandardCharsets.US_ASCII);
        nvPTXCompilerHandle handle = new nvPTXCompilerHandle();
        assertEquals(nvPTXCompileResult.NVPTXCOMPILE_SUCCESS,
                JNvPTXCompiler.nvPTXCompilerCreate(handle, bytes.length - 1, bytes));
        try {
            int result = JNvPTXCompiler.nvPTXCompilerCompile(handle, 2, new String[] {"--gpu-name=" + arch, "--verbose"});
            String errors = log(handle, true);
            assertEquals(expected, result, () -> "PTX compilation for " + arch + ": "
                    + nvPTXCompileResult.stringFor(result) + "\n" + errors);
            return log(handle, false);
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(handle);
        }
    }

    private static String log(nvPTXCompilerHandle handle, boolean errors) {
        long[] size = {0};
        if (errors) {
            JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(handle, size);
        } else {
            JNvPTXCompiler.nvPTXCompilerGetInfoLogSize(handle, size);
        }
        if (size[0] <= 1) {
            return "";
        }
        byte[] text = new byte[(int) size[0]];
        if (errors) {
            JNvPTXCompiler.nvPTXCompilerGetErrorLog(handle, text);
        } else {
            JNvPTXCompiler.nvPTXCompilerGetInfoLog(handle, text);
        }
        return new String(text, 0, text.length - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void declaresPtxIsa80() {
        assertTrue(ptx.contains("\n.version 8.0\n"), "the shipped PTX must declare .version 8.0 (CUDA 12.0 drivers)");
        assertTrue(ptx.contains(".target sm_75"), "the shipped PTX targets compute_75 (Turing and newer)");
    }

    @ParameterizedTest(name = "compiles for {0} with CUDA 12.0''s PTX compiler")
    @ValueSource(strings = {"sm_75", "sm_80", "sm_90"})
    void compilesFor(String arch) {
        String info = compile(ptx, arch, nvPTXCompileResult.NVPTXCOMPILE_SUCCESS);
        // The GEMM kernels' resource use, for docs/cuda-kernels.md.
        String[] lines = info.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("Compiling entry function 'lamina_sgemm")) {
                for (int j = i; j < Math.min(lines.length, i + 4); j++) {
                    System.out.println(arch + ": " + lines[j].trim());
                }
            }
        }
        assertTrue(!info.contains("bytes spill stores") || !info.matches("(?s).*[1-9][0-9]* bytes spill stores.*"),
                () -> "a kernel spills registers on " + arch + ":\n" + info);
    }

    /** The check above is meaningful: PTX that claims ISA 9.0 (nvcc 13's default) is rejected by CUDA 12.0. */
    @Test
    void isa90WouldNotLoadOnCuda12Drivers() {
        String newer = ptx.replace("\n.version 8.0\n", "\n.version 9.0\n");
        compile(newer, "sm_80", nvPTXCompileResult.NVPTXCOMPILE_ERROR_UNSUPPORTED_PTX_VERSION);
    }
}
