package dev.lamina.bench;

/**
 * A product shape written {@code MxNxK}, optionally followed by {@code :TN} (A transposed, as in a
 * Dense layer's kernel gradient xᵀ·dz) or {@code :NT} (B transposed, as in its input gradient
 * dz·Wᵀ). C is M×N; the product takes 2·M·N·K floating-point operations.
 */
public final class GemmShape {
    public final int m;
    public final int n;
    public final int k;
    public final boolean transA;
    public final boolean transB;

    private GemmShape(int m, int n, int k, boolean transA, boolean transB) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
    }

    public static GemmShape parse(String text) {
        String[] parts = text.split(":");
        String[] dims = parts[0].split("x");
        if (dims.length != 3) {
            throw new IllegalArgumentException("A shape is MxNxK[:TN|:NT], not " + text);
        }
        String trans = parts.length > 1 ? parts[1] : "NN";
        return new GemmShape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                trans.charAt(0) == 'T', trans.charAt(1) == 'T');
    }

    public double flops() {
        return 2.0 * m * n * k;
    }
}
