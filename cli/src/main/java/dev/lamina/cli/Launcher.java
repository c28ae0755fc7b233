package dev.lamina.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the {@code lamina} script tells the JVM: where the checkout is ({@code -Dlamina.home}, so
 * bundled data is found from any directory) and its own process id ({@code -Dlamina.launcher.pid}).
 */
final class Launcher {
    static final String PID_PROPERTY = "lamina.launcher.pid";
    /** The exit status of a process stopped by SIGTERM, as a shell reports it. */
    static final int STOPPED = 143;

    private Launcher() {
    }

    static Path home() {
        String home = System.getProperty("lamina.home");
        return home == null || home.isBlank() ? Path.of("") : Path.of(home);
    }

    /**
     * Stops this JVM when the launcher script ends first. The script runs java in a pipeline (to
     * filter one JVM warning out of stderr), so a signal sent to the script's process, SIGKILL
     * included, would leave java running and writing its output: whatever kills the launcher now
     * stops the run too, through the normal exit (shutdown hooks delete staged files).
     */
    static void stopWithLauncher() {
        String pid = System.getProperty(PID_PROPERTY);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> launcher;
        try {
            launcher = ProcessHandle.of(Long.parseLong(pid.trim()));
        } catch (NumberFormatException e) {
            return;
        }
        if (launcher.isEmpty()) {
            stopped();
            return;
        }
        launcher.get().onExit().thenRun(Launcher::stopped);
    }

    private static void stopped() {
        System.err.println("lamina: stopped: the lamina launcher was ended; nothing more is written.");
        System.exit(STOPPED);
    }
}
