package dev.lamina.backend;

import dev.lamina.LaminaException;

/**
 * A rows×cols float32 matrix held by a backend: a shape plus the backend's storage. Vectors are
 * 1×n. Closing a tensor gives its memory back; any later use fails with a clear message.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final int rows;
    private final int cols;
    private Storage storage;

    private Tensor(Backend backend, int rows, int cols, Storage storage) {
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.storage = storage;
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(Backend backend, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new LaminaException("Tensor shape must not be negative, got " + rows + "x" + cols + ".");
        }
        return new Tensor(backend, rows, cols, backend.allocate((long) rows * cols));
    }

    /** A new tensor holding a copy of a rectangular host matrix. */
    public static Tensor of(Backend backend, float[][] values) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        Tensor t = zeros(backend, rows, cols);
        t.upload(values);
        return t;
    }

    /** A new 1×n tensor holding a copy of {@code values}. */
    public static Tensor of(Backend backend, float[] values) {
        Tensor t = zeros(backend, 1, values.length);
        backend.upload(values, 0, t.storage, 0, values.length);
        return t;
    }

    public Backend backend() {
        return backend;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return rows * cols;
    }

    /** The backend's storage; fails once the tensor is closed. */
    public Storage storage() {
        if (storage == null) {
            throw new LaminaException("This " + rows + "x" + cols + " tensor was closed and its memory released; "
                    + "create a new tensor instead of using a closed one.");
        }
        return storage;
    }

    public boolean isClosed() {
        return storage == null;
    }

    public void upload(float[][] values) {
        if (values.length != rows) {
            throw new LaminaException("Expected " + rows + " rows, got " + values.length + ".");
        }
        Storage s = storage();
        for (int r = 0; r < rows; r++) {
            if (values[r].length != cols) {
                throw new LaminaException("Row " + r + " has " + values[r].length + " values; expected " + cols + ".");
            }
            backend.upload(values[r], 0, s, (long) r * cols, cols);
        }
    }

    public void upload(float[] flat) {
        if (flat.length != size()) {
            throw new LaminaException("Expected " + size() + " values for a " + rows + "x" + cols + " tensor, got " + flat.length + ".");
        }
        backend.upload(flat, 0, storage(), 0, flat.length);
    }

    /** A host copy, row by row. */
    public float[][] toArray() {
        float[] flat = toFlatArray();
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /** A host copy in row-major order. */
    public float[] toFlatArray() {
        float[] flat = new float[size()];
        backend.download(storage(), 0, flat, 0, flat.length);
        return flat;
    }

    @Override
    public void close() {
        if (storage != null) {
            backend.release(storage);
            storage = null;
        }
    }

    @Override
    public String toString() {
        return "Tensor[" + rows + "x" + cols + " on " + backend.name() + (storage == null ? ", closed]" : "]");
    }
}
