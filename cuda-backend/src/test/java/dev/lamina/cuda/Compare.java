package dev.lamina.cuda;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import java.util.Random;

/**
 * Runs the same op on the reference backend and on CUDA and compares, with the tolerance rule of
 * llm.c's kernel checks: {@code |ref − cuda| ≤ abs + rel·|ref|}; NaN must meet NaN.
 */
final class Compare {
    final Backend ref;
    final Backend cuda;

    Compare(Backend ref, Backend cuda) {
        this.ref = ref;
        this.cuda = cuda;
    }

    /** The same values in a storage on each backend. */
    record Pair(Storage r, Storage c, int n) {
    }

    Pair of(float[] values) {
        Storage r = ref.allocate(values.length);
        Storage c = cuda.allocate(values.length);
        ref.upload(values, 0, r, 0, values.length);
        cuda.upload(values, 0, c, 0, values.length);
        return new Pair(r, c, values.length);
    }

    Pair zeros(int n) {
        return new Pair(ref.allocate(n), cuda.allocate(n), n);
    }

    Pair filled(int n, float value) {
        Pair p = zeros(n);
        ref.fill(p.r(), 0, n, value);
        cuda.fill(p.c(), 0, n, value);
        return p;
    }

    static float[] random(Random random, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextFloat();
        }
        return v;
    }

    float[] down(Backend b, Storage s, int n) {
        float[] out = new float[n];
        b.download(s, 0, out, 0, n);
        return out;
    }

    void assertClose(String what, Pair p, double abs, double rel) {
        assertClose(what, down(ref, p.r(), p.n()), down(cuda, p.c(), p.n()), abs, rel);
    }

    void assertSame(String what, Pair p) {
        assertClose(what, p, 0, 0);
    }

    static void assertClose(String what, float[] expected, float[] actual, double abs, double rel) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok = Float.isNaN(e) ? Float.isNaN(a)
                    : e == a || Math.abs((double) e - a) <= abs + rel * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " of " + expected.length + ": reference " + e + ", cuda " + a
                        + " (tolerance " + abs + " + " + rel + "·|ref|)");
            }
        }
    }

    void release(Pair... pairs) {
        for (Pair p : pairs) {
            ref.release(p.r());
            cuda.release(p.c());
        }
    }
}
