package dev.lamina.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the real {@code lamina} command as a separate process: the same java and class path as the
 * test, the launcher's JVM flags, and a working directory of the test's choosing.
 */
final class LaminaProcess {
    /** The repository root: the tests run in cli/. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String JVM_INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    private LaminaProcess() {
    }

    /** What a run left: exit status, and stdout and stderr as lines (stderr without the JVM's incubator warning). */
    record Result(int exitCode, List<String> stdout, List<String> stderr) {
        String out() {
            return String.join("\n", stdout);
        }

        String err() {
            return String.join("\n", stderr);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + err();
        }
    }

    static Path data(String name) {
        return ROOT.resolve("data").resolve(name);
    }

    static Result run(Path workingDir, String... args) throws IOException, InterruptedException {
        return runWith(List.of(), workingDir, args);
    }

    /** Runs with extra JVM options (e.g. -Dlamina.bench.main=...). */
    static Result runWith(List<String> jvmOptions, Path workingDir, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dlamina.home=" + ROOT));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        Path stdout = Files.createTempFile("lamina-stdout", ".txt");
        Path stderr = Files.createTempFile("lamina-stderr", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            pb.environment().remove("LAMINA_BACKEND");
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("lamina " + String.join(" ", args) + " did not finish in 120 s");
            }
            List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.equals(JVM_INCUBATOR_WARNING)).collect(Collectors.toList());
            return new Result(p.exitValue(), Files.readAllLines(stdout, StandardCharsets.UTF_8), err);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
