package dev.lamina.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where a figure was measured: the CPU, the JDK and the JVM's flags, for the report's header and JSON. */
final class MachineInfo {
    final String cpu;
    final int cores;
    final String os;
    final String jdk;
    final List<String> jvmArgs;

    private MachineInfo(String cpu, int cores, String os, String jdk, List<String> jvmArgs) {
        this.cpu = cpu;
        this.cores = cores;
        this.os = os;
        this.jdk = jdk;
        this.jvmArgs = jvmArgs;
    }

    static MachineInfo here() {
        return new MachineInfo(cpuModel().orElse(System.getProperty("os.arch")),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The "model name" line of /proc/cpuinfo on Linux; empty elsewhere. */
    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return cpu + ", " + cores + " cores; " + os + "; " + jdk + "; JVM flags: " + String.join(" ", jvmArgs);
    }
}
