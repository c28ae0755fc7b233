package dev.lamina.cuda;

import dev.lamina.backend.Backends;

/** Run in a child JVM by {@link UnusableDriverTest}: prints what the probe and {@code auto} decided. */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        System.out.println("reason=" + new CudaBackendProvider().unavailableReason());
        System.out.println("auto=" + Backends.get("auto").name());
    }
}
