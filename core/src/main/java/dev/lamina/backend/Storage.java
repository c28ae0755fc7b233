package dev.lamina.backend;

/**
 * A backend-owned block of float32 memory: a Java array on the CPU, device memory on a GPU.
 * The front end never looks inside; it passes storages back to the backend that made them.
 */
public interface Storage {
    /** Capacity in floats. */
    long size();
}
