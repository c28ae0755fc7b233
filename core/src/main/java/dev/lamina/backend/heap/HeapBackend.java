package dev.lamina.backend.heap;

import dev.lamina.LaminaException;
import dev.lamina.backend.Backend;
import dev.lamina.backend.IndexStorage;
import dev.lamina.backend.Storage;

/** Storage handling shared by the backends whose memory is the Java heap. */
public abstract class HeapBackend implements Backend {

    /** The float array behind a storage of this kind of backend. */
    protected static float[] f(Storage s) {
        if (!(s instanceof HeapStorage)) {
            throw new LaminaException("Storage " + s + " belongs to another backend; tensors cannot be mixed across backends.");
        }
        return ((HeapStorage) s).data();
    }

    protected static int[] ints(IndexStorage s) {
        if (!(s instanceof HeapIndexStorage)) {
            throw new LaminaException("Index storage " + s + " belongs to another backend.");
        }
        return ((HeapIndexStorage) s).data();
    }

    @Override
    public Storage allocate(long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new LaminaException("Cannot allocate " + size + " floats on the " + name()
                    + " backend: the size must be between 0 and " + (Integer.MAX_VALUE - 8) + ".");
        }
        return new HeapStorage((int) size);
    }

    @Override
    public IndexStorage allocateIndices(int size) {
        if (size < 0) {
            throw new LaminaException("Cannot allocate a negative number of indices: " + size + ".");
        }
        return new HeapIndexStorage(size);
    }

    @Override
    public void release(Storage storage) {
        f(storage);
        ((HeapStorage) storage).release();
    }

    @Override
    public void release(IndexStorage storage) {
        ints(storage);
        ((HeapIndexStorage) storage).release();
    }

    @Override
    public void upload(float[] src, int srcOffset, Storage dst, long dstOffset, int length) {
        System.arraycopy(src, srcOffset, f(dst), (int) dstOffset, length);
    }

    @Override
    public void download(Storage src, long srcOffset, float[] dst, int dstOffset, int length) {
        System.arraycopy(f(src), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void uploadIndices(int[] src, int srcOffset, IndexStorage dst, int dstOffset, int length) {
        System.arraycopy(src, srcOffset, ints(dst), dstOffset, length);
    }

    @Override
    public void copy(Storage src, long srcOffset, Storage dst, long dstOffset, long length) {
        System.arraycopy(f(src), (int) srcOffset, f(dst), (int) dstOffset, (int) length);
    }

    @Override
    public void fill(Storage dst, long offset, long length, float value) {
        java.util.Arrays.fill(f(dst), (int) offset, (int) (offset + length), value);
    }

    @Override
    public void gatherRows(Storage src, int cols, IndexStorage indices, int indexOffset, int rows, Storage dst) {
        float[] s = f(src);
        float[] d = f(dst);
        int[] idx = ints(indices);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(s, idx[indexOffset + r] * cols, d, r * cols, cols);
        }
    }
}
