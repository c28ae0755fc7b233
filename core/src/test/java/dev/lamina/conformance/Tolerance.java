package dev.lamina.conformance;

import static org.junit.jupiter.api.Assertions.fail;

/** Compares a backend's floats with the reference's: |ref − x| ≤ atol + rtol·|ref|, as llm.c's kernel checks do. */
public final class Tolerance {
    private Tolerance() {
    }

    public static void assertClose(String what, float[] expected, float[] actual, int n, double atol, double rtol) {
        for (int i = 0; i < n; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " expected " + e + " but was " + a
                        + " (|diff| " + Math.abs(e - a) + " > " + (atol + rtol * Math.abs(e)) + ")");
            }
        }
    }
}
