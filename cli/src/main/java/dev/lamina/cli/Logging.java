package dev.lamina.cli;

/**
 * Makes java.util.logging print one short line per record ("INFO: Lamina backend 'auto' chose
 * cpu") instead of its default two lines with a timestamp, so the command's output stays readable.
 */
final class Logging {
    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        // charts are drawn off screen; no window system is needed (or wanted) on a server
        System.setProperty("java.awt.headless", "true");
    }
}
