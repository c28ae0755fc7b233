package dev.lamina.cli;

import dev.lamina.backend.Backends;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code lamina backends}: every backend found on the class path, whether it can run here and why
 * not, which one {@code auto} picks, and what each usable one runs on (the backend's own
 * description: cores and SIMD width, or the GPU's name, memory, driver and GEMM path).
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the compute backends found, whether each is usable here (and why not), and their devices.")
final class BackendsCommand implements Callable<Integer> {
    private final PrintStream console = System.out;

    @Override
    public Integer call() {
        Map<String, String> found = Backends.found();
        console.println("Backends found (best first):");
        found.forEach((name, status) -> console.printf(Locale.ROOT, "  %-10s %s%n", name, status));
        String auto = Backends.autoChoice().orElse("none (put lamina-cpu on the class path)");
        console.println("auto picks: " + auto + "   (choose with --backend, -Dlamina.backend or LAMINA_BACKEND; now: "
                + Backends.requestedName() + ")");
        for (String name : found.keySet()) {
            if (Backends.available().contains(name)) {
                console.println();
                console.println(name + ":");
                Backends.get(name).description().lines().forEach(line -> console.println("  " + line));
            }
        }
        console.println();
        console.println("Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores available, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        console.println("Vector API: " + VectorApi.describe());
        return Main.OK;
    }
}
