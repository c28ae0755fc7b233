package dev.lamina.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporary buffers for the default implementations of fused ops, kept between calls so that a
 * steady training step allocates nothing: a slot is reallocated only when asked for more than it
 * holds. Not thread-safe; one per model.
 */
public final class Scratch implements AutoCloseable {
    private final Backend backend;
    private final List<Storage> slots = new ArrayList<>();

    public Scratch(Backend backend) {
        this.backend = backend;
    }

    /** A buffer of at least {@code size} floats for slot {@code slot}; its contents are undefined. */
    public Storage get(int slot, long size) {
        while (slots.size() <= slot) {
            slots.add(null);
        }
        Storage s = slots.get(slot);
        if (s == null || s.size() < size) {
            if (s != null) {
                backend.release(s);
                slots.set(slot, null);      // released: if the new allocation fails, close must not release it again
            }
            s = backend.allocate(Math.max(size, 1));
            slots.set(slot, s);
        }
        return s;
    }

    @Override
    public void close() {
        for (Storage s : slots) {
            if (s != null) {
                backend.release(s);
            }
        }
        slots.clear();
    }
}
