package dev.lamina.cli;

import dev.lamina.LaminaException;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The memory a training run will take on the Java heap, worked out before anything is allocated,
 * so that a network or table too large for the heap is refused with the figure and the setting to
 * change, instead of ending in an OutOfMemoryError part-way. A heap backend (cpu, reference) keeps
 * everything on the heap; with CUDA the parameters and rows live on the device, which reports its
 * own shortage.
 */
final class MemoryEstimate {
    static final String JAVA_OPTS = "LAMINA_JAVA_OPTS";
    private static final double GB = 1L << 30;
    private static final double MB = 1L << 20;

    final long parameters;
    final long bytes;

    private MemoryEstimate(long parameters, long bytes) {
        this.parameters = parameters;
        this.bytes = bytes;
    }

    /**
     * The bytes a run takes beyond what is already allocated: per parameter its value, its
     * gradient, the optimizer's state ({@code optimizerSlots} per parameter) and fit's rollback copy
     * of both; per row of data the standardised copy and the backend's copy; and a batch's
     * activations and their gradients in every layer (for predict and evaluate, batches of 256).
     */
    static MemoryEstimate of(NetworkSpec network, int features, int rows, int batchSize, int optimizerSlots) {
        long params = 0;
        long widths = 0;
        int in = features;
        for (int units : network.hidden()) {
            params += (long) in * units + units + (network.batchNorm() ? 4L * units : 0);
            widths += units * (1L + (network.dropout() > 0 ? 1 : 0) + (network.batchNorm() ? 2 : 0));
            in = units;
        }
        params += (long) in * network.outputs() + network.outputs();
        widths += network.outputs();
        long perParameter = 4L * (2 + 2L * optimizerSlots + 1);
        long activations = 4L * 2 * widths * Math.max(Math.min(batchSize, rows), 256);
        long data = 2L * rows * (4L * (features + network.outputs()) + 32);
        return new MemoryEstimate(params, params * perParameter + activations + data);
    }

    /** Fails, with the figure and the LAMINA_JAVA_OPTS setting that would do, when the heap cannot hold this run. */
    void checkFitsHeap() {
        Runtime rt = Runtime.getRuntime();
        if (available(rt) >= bytes) {
            return;
        }
        System.gc();  // what is in use may be garbage from reading the table
        long free = available(rt);
        if (free >= bytes) {
            return;
        }
        long used = rt.totalMemory() - rt.freeMemory();
        long wanted = (long) ((used + bytes) * 1.25);
        String parameterNote = String.format(Locale.ROOT, "%,d parameters with their gradients, optimizer state and rollback copy,"
                + " the standardised rows and the activations", parameters);
        long physical = physicalMemory();
        String fix = physical > 0 && wanted > physical
                ? "that is more than this machine's " + size(physical) + "; use fewer or narrower --layers, or fewer rows"
                : "give Java more with " + JAVA_OPTS + "=-Xmx" + xmx(wanted) + ", or use fewer or narrower --layers";
        throw new LaminaException("This run needs about " + size(bytes) + " of memory (" + parameterNote + "), but Java may use only "
                + size(free) + " more (-Xmx is " + size(rt.maxMemory()) + "): " + fix + ". Nothing was trained.");
    }

    private static long available(Runtime rt) {
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** The -Xmx value to suggest: whole gigabytes, or megabytes below one. */
    static String xmx(long bytes) {
        return bytes >= GB ? (long) Math.ceil(bytes / GB) + "g" : (long) Math.ceil(bytes / MB / 100) * 100 + "m";
    }

    static String size(long bytes) {
        return bytes >= GB ? String.format(Locale.ROOT, "%.1f GB", bytes / GB) : String.format(Locale.ROOT, "%.0f MB", bytes / MB);
    }

    /** The machine's memory, or -1 where the JVM does not say. */
    private static long physicalMemory() {
        try {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot: no figure
        }
        return -1;
    }

    /** The one line for an OutOfMemoryError that slipped past the estimate. */
    static String outOfMemory(OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        return "out of memory (" + e.getMessage() + "; Java may use " + size(max) + "): give it more with " + JAVA_OPTS + "=-Xmx"
                + xmx(2 * max) + ", or use a smaller network or table. Nothing was written.";
    }
}
