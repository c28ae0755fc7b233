package dev.lamina.conformance;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import java.util.List;

/**
 * The same values in a storage on the reference backend and on the backend under test, so an op
 * can run on both and the results be compared. The backend's storage is released after the test
 * through {@code cleanup}; the reference's is plain heap memory.
 */
public class StoragePair {
    public final Storage ref;
    public final Storage dut;
    public final int n;
    private final Backend reference;
    private final Backend backend;

    public StoragePair(Backend reference, Backend backend, float[] values, List<Runnable> cleanup) {
        this.reference = reference;
        this.backend = backend;
        n = values.length;
        ref = reference.allocate(Math.max(n, 1));
        dut = backend.allocate(Math.max(n, 1));
        reference.upload(values, 0, ref, 0, n);
        backend.upload(values, 0, dut, 0, n);
        cleanup.add(() -> backend.release(dut));
    }

    public float[] refValues() {
        float[] out = new float[n];
        reference.download(ref, 0, out, 0, n);
        return out;
    }

    public float[] dutValues() {
        float[] out = new float[n];
        backend.download(dut, 0, out, 0, n);
        return out;
    }
}
