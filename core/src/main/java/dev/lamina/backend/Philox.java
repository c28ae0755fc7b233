package dev.lamina.backend;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the
 * counter-based generator behind dropout masks. A number depends only on (seed, index), so every
 * backend computes the same mask in any order and on any number of threads. CUDA kernels carry a
 * line-for-line twin of {@link #uniform}.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /**
     * The first 32-bit word of Philox4x32-10 for counter (lo(index), hi(index), 0, 0) and key
     * (lo(seed), hi(seed)).
     */
    public static int bits(long seed, long index) {
        int c0 = (int) index;
        int c1 = (int) (index >>> 32);
        int c2 = 0;
        int c3 = 0;
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        return c0;
    }

    /** A float uniform in [0, 1): the top 24 bits of {@link #bits} times 2^-24. */
    public static float uniform(long seed, long index) {
        return (bits(seed, index) >>> 8) * 0x1.0p-24f;
    }

    /**
     * The inverted-dropout mask every heap backend writes:
     * {@code mask[i] = uniform(seed, offset + i) >= rate ? 1/(1−rate) : 0} for i &lt; n.
     */
    public static void dropoutMask(long seed, long offset, float rate, float[] mask, int n) {
        float keep = (float) (1.0 / (1.0 - rate));
        for (int i = 0; i < n; i++) {
            mask[i] = uniform(seed, offset + i) >= rate ? keep : 0f;
        }
    }
}
