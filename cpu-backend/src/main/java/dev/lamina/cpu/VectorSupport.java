package dev.lamina.cpu;

import dev.lamina.cpu.gemm.MicroKernel;
import dev.lamina.cpu.gemm.ScalarMicroKernel;
import dev.lamina.cpu.ops.ElementKernels;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decides between the Vector API code and the portable code, and loads the former only when it can
 * run. The Vector API is an incubator module in Java 17: a JVM started without
 * {@code --add-modules jdk.incubator.vector} cannot load those classes, so every reference to them
 * lives in {@code dev.lamina.cpu.vector}, which is reached only by reflection from here.
 *
 * <p>The system property {@code lamina.cpu.vector=false} forces the portable code (for tests and
 * comparisons).
 */
public final class VectorSupport {
    public static final String PROPERTY = "lamina.cpu.vector";
    static final String MODULE = "jdk.incubator.vector";
    private static final System.Logger LOG = System.getLogger("dev.lamina.cpu");
    private static final AtomicBoolean ADVISED = new AtomicBoolean();

    private VectorSupport() {
    }

    /** True when the Vector API module is readable in this JVM. */
    public static boolean moduleAvailable() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** True unless {@code -Dlamina.cpu.vector=false}. */
    static boolean allowedByProperty() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * Whether a backend created now should use the Vector API: the module is there and not switched
     * off. When the module is missing, says once in the log how to enable it.
     */
    static boolean useVectorByDefault() {
        if (!allowedByProperty()) {
            return false;
        }
        if (!moduleAvailable()) {
            if (ADVISED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.INFO, "Lamina's CPU backend is using its portable code because the "
                        + "Vector API is not enabled; start Java with --add-modules " + MODULE
                        + " for matrix products several times faster.");
            }
            return false;
        }
        return true;
    }

    static MicroKernel microKernel(boolean vector) {
        return vector ? load("dev.lamina.cpu.vector.VectorMicroKernel", MicroKernel.class) : new ScalarMicroKernel();
    }

    static ElementKernels elementKernels(boolean vector) {
        return vector ? load("dev.lamina.cpu.vector.VectorElementKernels", ElementKernels.class) : new ElementKernels();
    }

    private static <T> T load(String className, Class<T> type) {
        if (!moduleAvailable()) {
            throw new IllegalStateException("The Vector API code path needs the JVM option --add-modules " + MODULE);
        }
        try {
            return Class.forName(className).asSubclass(type).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot load " + className, e);
        }
    }
}
