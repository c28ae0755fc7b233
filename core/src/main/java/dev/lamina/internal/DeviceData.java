package dev.lamina.internal;

import dev.lamina.backend.Backend;
import dev.lamina.backend.IndexStorage;
import dev.lamina.backend.Storage;

/**
 * A data set uploaded once to the backend: inputs, targets, and the row order batches are gathered
 * in. Each epoch uploads a new order; the rows themselves never travel again.
 */
public final class DeviceData implements AutoCloseable {
    private final Backend backend;
    public final int rows;
    public final int xCols;
    public final int yCols;
    public final Storage x;
    public final Storage y;
    public final IndexStorage order;
    private final int[] hostOrder;
    /** False while the order is 0, 1, 2, ...: {@link #resetOrder()} then has nothing to do. */
    private boolean shuffled;

    public DeviceData(Backend backend, float[] x, int xCols, float[] y, int yCols) {
        this.backend = backend;
        this.rows = x.length / xCols;
        this.xCols = xCols;
        this.yCols = yCols;
        Storage xs = null;
        Storage ys = null;
        try {
            xs = backend.allocate(x.length);
            ys = backend.allocate(Math.max(1, y.length));
            this.order = backend.allocateIndices(rows);
        } catch (RuntimeException e) {
            // out of device memory half-way: give back what was taken
            if (xs != null) {
                backend.release(xs);
            }
            if (ys != null) {
                backend.release(ys);
            }
            throw e;
        }
        this.x = xs;
        this.y = ys;
        backend.upload(x, 0, this.x, 0, x.length);
        backend.upload(y, 0, this.y, 0, y.length);
        this.hostOrder = new int[rows];
        for (int i = 0; i < rows; i++) {
            hostOrder[i] = i;
        }
        backend.uploadIndices(hostOrder, 0, order, 0, rows);
    }

    /** Shuffles the row order with Fisher–Yates from {@code random} and uploads it. */
    public void shuffle(java.util.Random random) {
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = hostOrder[i];
            hostOrder[i] = hostOrder[j];
            hostOrder[j] = t;
        }
        backend.uploadIndices(hostOrder, 0, order, 0, rows);
        shuffled = true;
    }

    /** Puts the rows back in their original order (after shuffles of an earlier fit). */
    public void resetOrder() {
        if (shuffled) {
            for (int i = 0; i < rows; i++) {
                hostOrder[i] = i;
            }
            backend.uploadIndices(hostOrder, 0, order, 0, rows);
            shuffled = false;
        }
    }

    @Override
    public void close() {
        backend.release(x);
        backend.release(y);
        backend.release(order);
    }
}
