package dev.lamina.backend;

/** Scalar functions the JDK lacks, in double precision, shared by every backend's reference math. */
public final class MathFunctions {
    private MathFunctions() {
    }

    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** log(1 + eˣ) without overflow for large x or loss of precision for very negative x. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * The error function to about 1e-15: its Maclaurin series for |x| &lt; 3, where it converges
     * quickly, and the continued fraction of erfc beyond.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 3) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
        if (ax > 6) {
            return Math.signum(x);
        }
        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated bottom-up
        double fraction = ax;
        for (int n = 60; n >= 1; n--) {
            fraction = ax + (n / 2.0) / fraction;
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / fraction;
        return Math.signum(x) * (1 - erfc);
    }
}
