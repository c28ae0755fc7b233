package dev.lamina.cli;

import java.nio.file.Path;

/** Where the lamina checkout is: the launcher passes it as -Dlamina.home, so bundled data is found from any directory. */
final class Launcher {
    private Launcher() {
    }

    static Path home() {
        String home = System.getProperty("lamina.home");
        return home == null || home.isBlank() ? Path.of("") : Path.of(home);
    }
}
