package dev.lamina.backend.heap;

import dev.lamina.LaminaException;
import dev.lamina.backend.Storage;

/** Storage in a Java float array, for the backends that compute on the CPU. */
public final class HeapStorage implements Storage {
    private float[] data;

    public HeapStorage(int size) {
        this.data = new float[size];
    }

    /** The array; fails once released. */
    public float[] data() {
        float[] d = data;
        if (d == null) {
            throw new LaminaException("This storage was released; a closed tensor or model cannot be used again.");
        }
        return d;
    }

    @Override
    public long size() {
        return data().length;
    }

    void release() {
        if (data == null) {
            throw new LaminaException("This storage was already released.");
        }
        data = null;
    }

    public boolean isReleased() {
        return data == null;
    }
}
