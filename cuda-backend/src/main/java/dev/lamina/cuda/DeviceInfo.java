package dev.lamina.cuda;

import java.util.Locale;

/**
 * What the probe found about device 0 and its driver.
 *
 * @param name            the GPU's name as the driver reports it
 * @param ccMajor         compute capability, major
 * @param ccMinor         compute capability, minor
 * @param multiprocessors the number of SMs
 * @param totalBytes      device memory
 * @param driverVersion   the CUDA version the driver supports, as 1000·major + 10·minor (12080 = 12.8)
 */
record DeviceInfo(String name, int ccMajor, int ccMinor, int multiprocessors, long totalBytes, int driverVersion) {

    /**
     * True when the "GPU" is Lamina's stand-in driver that runs the kernels on the CPU (Step 5's
     * emulation, which names its device "Lamina CPU emulation"): tests name the mode they ran in.
     */
    boolean emulated() {
        return name.toLowerCase(Locale.ROOT).contains("emulat");
    }

    String driverVersionText() {
        return versionText(driverVersion);
    }

    static String versionText(int cudaVersion) {
        return (cudaVersion / 1000) + "." + (cudaVersion % 1000) / 10;
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
