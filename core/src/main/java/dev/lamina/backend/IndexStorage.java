package dev.lamina.backend;

/** A backend-owned block of int32 indices (a shuffled order of rows, for instance). */
public interface IndexStorage {
    /** Capacity in ints. */
    int size();
}
