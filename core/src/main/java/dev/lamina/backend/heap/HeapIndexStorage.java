package dev.lamina.backend.heap;

import dev.lamina.LaminaException;
import dev.lamina.backend.IndexStorage;

/** Index storage in a Java int array. */
public final class HeapIndexStorage implements IndexStorage {
    private int[] data;

    public HeapIndexStorage(int size) {
        this.data = new int[size];
    }

    public int[] data() {
        int[] d = data;
        if (d == null) {
            throw new LaminaException("This index storage was released and cannot be used again.");
        }
        return d;
    }

    @Override
    public int size() {
        return data().length;
    }

    void release() {
        if (data == null) {
            throw new LaminaException("This index storage was already released.");
        }
        data = null;
    }
}
