package dev.lamina.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Prints training progress as Keras does: with verbose 1 a bar per epoch that fills as batches
 * finish, with the time per step and the running metrics; with verbose 2 one line per epoch.
 * Fit adds it by itself when verbose is not 0.
 */
public final class ProgressLogger extends Callback {
    private static final int WIDTH = 20;
    /** Redraw the bar at most this often: reading running metrics waits for the device. */
    private static final long REFRESH_NANOS = 100_000_000L;

    private final PrintStream out;
    private final int verbose;
    private final int epochs;
    private final int steps;
    /** A terminal gets a bar redrawn in place (in colour); a log file gets one line per epoch. */
    private final boolean interactive;
    private final boolean ansi;
    private long epochStart;
    private long lastDraw;

    public ProgressLogger(PrintStream out, int verbose, int epochs, int steps) {
        this.out = out;
        this.verbose = verbose;
        this.epochs = epochs;
        this.steps = steps;
        // only the process's own terminal redraws in place; any other stream is written as a log is
        this.interactive = out == System.out && System.console() != null;
        this.ansi = interactive && System.getenv("NO_COLOR") == null;
    }

    @Override
    public void onEpochBegin(int epoch) {
        out.println("Epoch " + (epoch + 1) + "/" + epochs);
        epochStart = System.nanoTime();
        lastDraw = epochStart;
    }

    @Override
    public void onBatchEnd(int batch, BatchLogs logs) {
        if (verbose != 1 || !interactive || batch + 1 >= steps) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REFRESH_NANOS) {
            return;
        }
        lastDraw = now;
        out.print("\r" + line(batch + 1, now, logs.get(), false));
        out.flush();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        long now = System.nanoTime();
        if (verbose == 1) {
            out.print((interactive ? "\r" : "") + line(steps, now, logs, true) + "\n");
        } else {
            double seconds = (now - epochStart) / 1e9;
            out.println(steps + "/" + steps + " - " + Math.round(seconds) + "s - " + perStep(now) + formatLogs(logs));
        }
        out.flush();
    }

    private String line(int done, long now, Map<String, Double> logs, boolean finished) {
        int digits = String.valueOf(steps).length();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%" + digits + "d/%d ", done, steps));
        int filled = (int) ((long) WIDTH * done / steps);
        if (ansi) {
            sb.append("\033[32m").append("━".repeat(filled)).append("\033[0m")
              .append("\033[37m").append("━".repeat(WIDTH - filled)).append("\033[0m");
        } else {
            sb.append("━".repeat(filled)).append(" ".repeat(WIDTH - filled));
        }
        double elapsed = (now - epochStart) / 1e9;
        if (finished) {
            sb.append(' ').append(Math.round(elapsed)).append("s ").append(perStep(now, done));
        } else {
            double eta = elapsed / done * (steps - done);
            sb.append(' ').append(Math.round(eta)).append("s ").append(perStep(now, done));
        }
        sb.append(formatLogs(logs));
        return sb.toString();
    }

    private String perStep(long now) {
        return perStep(now, steps);
    }

    private String perStep(long now, int done) {
        double perStep = (now - epochStart) / 1e6 / Math.max(done, 1);
        if (perStep >= 1000) {
            return Math.round(perStep / 1000) + "s/step";
        }
        if (perStep >= 1) {
            return Math.round(perStep) + "ms/step";
        }
        return Math.round(perStep * 1000) + "us/step";
    }

    /** " - loss: 0.1234 - mae: 0.2345", values under 1e-3 in scientific notation, as Keras prints them. */
    public static String formatLogs(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        logs.forEach((k, v) -> {
            sb.append(" - ").append(k).append(": ");
            if (Math.abs(v) > 1e-3 || v == 0) {
                sb.append(String.format(Locale.ROOT, "%.4f", v));
            } else {
                sb.append(String.format(Locale.ROOT, "%.4e", v));
            }
        });
        return sb.toString();
    }
}
