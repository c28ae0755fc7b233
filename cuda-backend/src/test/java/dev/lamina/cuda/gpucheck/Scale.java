package dev.lamina.cuda.gpucheck;

import java.util.Locale;

/**
 * How big gpu-check's work is: {@code full} on a real GPU (every GEMM kernel at the GPU's own SM
 * count, n up to 8192, batches up to 4096), {@code small} under the emulated driver, which runs the
 * kernels on the CPU: the same code paths with shapes a CI machine finishes in seconds.
 */
enum Scale {
    FULL, SMALL;

    static final String PROPERTY = "lamina.gpucheck.scale";

    static Scale current() {
        return valueOf(System.getProperty(PROPERTY, "full").trim().toUpperCase(Locale.ROOT));
    }

    boolean full() {
        return this == FULL;
    }
}
