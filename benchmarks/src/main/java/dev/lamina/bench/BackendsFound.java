package dev.lamina.bench;

import dev.lamina.backend.Backends;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lamina backends a benchmark can measure here: every usable backend found on the class path
 * except {@code reference}, which is the tests' slow oracle, not something users train on.
 *
 * <p>JMH cannot skip a {@code @Param} value, so a benchmark given a backend that is not usable fails
 * in its setup with the reason; run JMH with {@code -p backend=$(java -cp benchmarks.jar
 * dev.lamina.bench.BackendsFound)} to measure exactly the usable ones. As a main class this prints
 * that comma-separated list on standard output and each unusable backend's reason on standard error.
 */
public final class BackendsFound {
    static final String ORACLE = "reference";

    private BackendsFound() {
    }

    /** Names of the usable backends, best first, without the reference oracle. */
    public static List<String> usable() {
        List<String> names = new ArrayList<>(Backends.available());
        names.remove(ORACLE);
        return names;
    }

    /** Backends found but not usable here, each with the reason. */
    public static Map<String, String> unusable() {
        Map<String, String> reasons = new LinkedHashMap<>();
        Backends.found().forEach((name, status) -> {
            if (!status.equals("usable") && !name.equals(ORACLE)) {
                reasons.put(name, status);
            }
        });
        return reasons;
    }

    /** Fails with the reason when a benchmark is asked for a backend it cannot run here. */
    static void requireUsable(String backend) {
        if (!usable().contains(backend)) {
            String why = unusable().getOrDefault(backend, "not on the class path (found: " + Backends.found().keySet() + ")");
            throw new IllegalStateException("Backend '" + backend + "' is skipped: " + why
                    + ". Measure the usable ones with -p backend=" + String.join(",", usable()));
        }
    }

    public static void main(String[] args) {
        unusable().forEach((name, why) -> System.err.println(name + ": " + why));
        System.out.println(String.join(",", usable()));
    }
}
