package dev.lamina.cpu.gemm;

/** Packed B as one array of micro-panels, {@code kc × nr} each (see {@link Packing#packB}). */
public final class FlatPackedB implements PackedB {
    private final int nr;
    private float[] data = new float[0];
    private int kc;

    public FlatPackedB(int nr) {
        this.nr = nr;
    }

    @Override
    public void pack(boolean transB, float[] b, int k, int n, int p0, int kc, int col0, int cols) {
        int size = kc * ((cols + nr - 1) / nr * nr);
        if (data.length < size) {
            data = new float[size];
        }
        this.kc = kc;
        Packing.packB(transB, b, k, n, p0, kc, col0, cols, nr, data);
    }

    public float[] data() {
        return data;
    }

    /** Where the micro-panel starting at column {@code col} of the block begins. */
    public int offset(int col) {
        return col * kc;
    }
}
