package dev.lamina.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the command's stderr for errors: java.util.logging prints one short line per record, and the
 * backend choice is not logged (train prints it, and why, on stdout), so a failing command's stderr
 * is the one line that says what went wrong.
 */
final class Logging {
    /** java.util.logging holds loggers weakly: keep this one, or its level is forgotten. */
    private static final Logger BACKEND_LOG = Logger.getLogger("dev.lamina.backend");

    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        BACKEND_LOG.setLevel(Level.WARNING);
        // charts are drawn off screen; no window system is needed (or wanted) on a server
        System.setProperty("java.awt.headless", "true");
    }
}
