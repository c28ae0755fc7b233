package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code lamina} script, killed while java trains: java must stop too, and write nothing.
 * The script runs from a copy of the checkout whose cli/target/lamina-cli.jar is a manifest naming
 * the test's class path, so the script neither builds nor needs the packaged jar.
 */
class LauncherSignalTest {
    @TempDir
    Path work;

    @Test
    void killingTheLauncherStopsJava() throws Exception {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows") && Files.isExecutable(Path.of("/bin/bash")), "bash");
        Path root = checkoutWithLauncher();
        for (boolean forcibly : new boolean[] {false, true}) {
            String out = forcibly ? "killed" : "terminated";
            Path log = work.resolve(out + ".log");
            ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("lamina").toString(), "train",
                    LaminaProcess.data("concrete.csv").toString(), "--layers", "64", "--epochs", "100000", "--verbose", "0",
                    "--out", out).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("LAMINA_JAVA_OPTS");
            Process launcher = pb.start();
            // java and the stderr filter; the filter ends when java does, so all must end (no need to tell them apart)
            List<ProcessHandle> children = childrenOnceTraining(launcher, log);
            if (forcibly) {
                launcher.destroyForcibly();     // SIGKILL: the script cannot pass it on
            } else {
                launcher.destroy();             // SIGTERM, as `kill PID` sends
            }
            boolean stopped = true;
            for (ProcessHandle child : children) {
                stopped &= child.onExit().thenApply(h -> true).completeOnTimeout(false, 30, TimeUnit.SECONDS).get();
            }
            children.forEach(ProcessHandle::destroyForcibly);
            assertTrue(stopped, (forcibly ? "SIGKILL" : "SIGTERM") + " to the launcher left java running:\n" + Files.readString(log));
            assertFalse(Files.exists(work.resolve(out)), "nothing written");
        }
    }

    /** Waits until the script's java has started training (its model summary is out) and returns the script's children. */
    private static List<ProcessHandle> childrenOnceTraining(Process launcher, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Total params")) {
                List<ProcessHandle> children = launcher.toHandle().children().toList();
                assertFalse(children.isEmpty(), "the launcher has no child process");
                return children;
            }
            if (!launcher.isAlive()) {
                throw new AssertionError("the launcher ended early:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        launcher.destroyForcibly();
        throw new AssertionError("training did not start:\n" + Files.readString(log));
    }

    /** A directory with the script and a cli/target/lamina-cli.jar whose manifest Class-Path is this test's class path. */
    private Path checkoutWithLauncher() throws Exception {
        Path root = work.resolve("checkout");
        Path target = Files.createDirectories(root.resolve("cli/target"));
        Files.createDirectories(target.resolve("lib"));
        Path script = Files.copy(LaminaProcess.ROOT.resolve("lamina"), root.resolve("lamina"), StandardCopyOption.COPY_ATTRIBUTES);
        assertTrue(Files.isRegularFile(script));
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            String relative = target.relativize(p).toString().replace(File.separatorChar, '/');
            entries.add(Files.isDirectory(p) ? relative + "/" : relative);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        try (OutputStream out = Files.newOutputStream(target.resolve("lamina-cli.jar"));
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return root;
    }
}
