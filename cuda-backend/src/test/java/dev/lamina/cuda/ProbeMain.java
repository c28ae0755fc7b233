package dev.lamina.cuda;

import dev.lamina.backend.Backends;

/**
 * Run in a child JVM by {@link UnusableDriverTest}: prints what the probe and {@code auto} decided;
 * with the argument {@code create}, also creates the CUDA backend and prints its description.
 */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        System.out.println("reason=" + new CudaBackendProvider().unavailableReason());
        System.out.println("auto=" + Backends.get("auto").name());
        if (args.length > 0 && args[0].equals("create")) {
            try (var cuda = Backends.get("cuda")) {
                System.out.println(cuda.description());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
