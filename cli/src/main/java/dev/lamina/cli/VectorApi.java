package dev.lamina.cli;

import java.util.Optional;

/**
 * Whether the JVM runs with the incubating Vector API (--add-modules jdk.incubator.vector), and the
 * float vector width it prefers on this CPU. Read by reflection, so this class loads without it.
 */
final class VectorApi {
    private VectorApi() {
    }

    static String describe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "off (start Java with --add-modules jdk.incubator.vector for the CPU backend's SIMD paths)";
        }
        return preferredFloatLanes()
                .map(lanes -> "on, preferred float vector " + lanes + " lanes (" + lanes * 32 + " bits)")
                .orElse("on");
    }

    private static Optional<Integer> preferredFloatLanes() {
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            Object lanes = Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length").invoke(species);
            return Optional.of((Integer) lanes);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
