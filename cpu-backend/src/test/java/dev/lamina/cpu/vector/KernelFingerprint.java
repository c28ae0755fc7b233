package dev.lamina.cpu.vector;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs every VectorElementKernels op that uses exp, log, tanh or erf on fixed inputs and hashes the
 * bits of each output. {@link #main} prints the hashes, one op a line, for a JVM started by
 * {@code CompilationIndependenceTest} with other flags (such as {@code -Xint}).
 */
final class KernelFingerprint {
    /** Not a multiple of any vector length: every op has a scalar tail. */
    private static final int N = 16 * 23 + 13;

    private KernelFingerprint() {
    }

    static float[] inputs() {
        float[] special = {
            0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 88.72283f, 88.72284f, -87.33655f,
            -103.97f, -103.98f, 104f, -104f, 0.34657359f, -0.34657359f, 0.75f, -0.75f, 1.0606602f, -1.0606602f,
            3.8325f, -5.6f, 7.90531f, -9f, 20f, -20f, 1e-30f, -1e-30f, 1000f, -1000f,
        };
        float[] x = new float[N];
        Random random = new Random(20261129);
        for (int i = 0; i < N; i++) {
            double u = random.nextDouble();
            x[i] = u < 0.6 ? (float) (random.nextGaussian() * 3) : u < 0.9 ? (float) (random.nextGaussian() * 30)
                    : (float) ((random.nextDouble() - 0.5) * 250);
        }
        // the special values at the start (vector lanes) and again in the tail
        System.arraycopy(special, 0, x, 0, special.length);
        System.arraycopy(special, 0, x, N - 12, 12);
        return x;
    }

    /** Names of the ops, in the order of {@link #compute}'s hashes. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ActivationKind kind : transcendental()) {
            names.add(kind + " forward");
            names.add(kind + " backward");
        }
        names.add("EXP");
        names.add("LOG");
        names.add("softmax rows");
        names.add("log-sum-exp rows");
        return names;
    }

    private static List<ActivationKind> transcendental() {
        List<ActivationKind> kinds = new ArrayList<>();
        for (ActivationKind kind : ActivationKind.values()) {
            if (kind.elementWise() && kind != ActivationKind.LINEAR && kind != ActivationKind.RELU
                    && kind != ActivationKind.LEAKY_RELU) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    static long[] compute(VectorElementKernels kernels) {
        float[] x = inputs();
        float[] dy = new float[N];
        for (int i = 0; i < N; i++) {
            dy[i] = 1f + (i % 7) / 8f;
        }
        float[] y = new float[N];
        float[] dx = new float[N];
        List<ActivationKind> kinds = transcendental();
        long[] hashes = new long[2 * kinds.size() + 4];
        int h = 0;
        for (ActivationKind kind : kinds) {
            kernels.activate(kind, x, 0, y, 0, N);
            hashes[h++] = hash(y, N);
            kernels.activateBackward(kind, x, 0, y, 0, dy, 0, dx, 0, N);
            hashes[h++] = hash(dx, N);
        }
        kernels.unary(UnaryOp.EXP, x, 0, y, 0, N);
        hashes[h++] = hash(y, N);
        kernels.unary(UnaryOp.LOG, x, 0, y, 0, N);
        hashes[h++] = hash(y, N);
        // rows of several lengths, the specials left out (a NaN or infinity would make a whole row NaN)
        float[] lse = new float[8];
        int off = 40;
        int row = 0;
        for (int len : new int[] {1, 7, 16, 33, 64, 100, 110}) {
            kernels.softmaxRow(x, off, y, off, len);
            lse[row++] = kernels.logSumExpRow(x, off, len);
            off += len;
        }
        hashes[h++] = hash(y, off);
        hashes[h] = hash(lse, row);
        return hashes;
    }

    private static long hash(float[] values, int n) {
        long hash = 1125899906842597L;
        for (int i = 0; i < n; i++) {
            hash = 31 * hash + Float.floatToIntBits(values[i]); // every NaN alike
        }
        return hash;
    }

    public static void main(String[] args) {
        List<String> names = names();
        long[] hashes = compute(new VectorElementKernels());
        for (int i = 0; i < hashes.length; i++) {
            System.out.println(names.get(i) + "=" + Long.toHexString(hashes[i]));
        }
    }
}
