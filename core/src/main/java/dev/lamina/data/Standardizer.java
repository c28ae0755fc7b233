package dev.lamina.data;

import dev.lamina.LaminaException;

/**
 * Scales each column to mean 0 and standard deviation 1 with statistics from the rows it was fitted
 * on (the training rows only, so nothing leaks from validation data). A constant column is only
 * centred.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    public Standardizer(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new LaminaException("Standardizer needs one mean and one std per column.");
        }
        for (int c = 0; c < mean.length; c++) {
            // a 0 would turn every value into ±infinity (fit gives a constant column 1 instead), a negative flip the column
            if (!Float.isFinite(mean[c]) || !Float.isFinite(std[c]) || std[c] <= 0) {
                throw new LaminaException("Standardizer: column " + c + " has mean " + mean[c] + " and standard deviation " + std[c]
                        + "; the mean must be finite and the standard deviation a positive number.");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Column means and (population) standard deviations of {@code x}. */
    public static Standardizer fit(float[][] x) {
        int cols = x[0].length;
        double[] sum = new double[cols];
        double[] sq = new double[cols];
        for (float[] row : x) {
            for (int c = 0; c < cols; c++) {
                sum[c] += row[c];
                sq[c] += (double) row[c] * row[c];
            }
        }
        float[] mean = new float[cols];
        float[] std = new float[cols];
        for (int c = 0; c < cols; c++) {
            double m = sum[c] / x.length;
            double var = Math.max(0, sq[c] / x.length - m * m);
            mean[c] = (float) m;
            std[c] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
        }
        return new Standardizer(mean, std);
    }

    public float[][] transform(float[][] x) {
        float[][] out = new float[x.length][];
        for (int r = 0; r < x.length; r++) {
            if (x[r].length != mean.length) {
                throw new LaminaException("Row " + r + " has " + x[r].length + " columns; the standardizer was fitted on " + mean.length + ".");
            }
            out[r] = new float[mean.length];
            for (int c = 0; c < mean.length; c++) {
                out[r][c] = (x[r][c] - mean[c]) / std[c];
                if (!Float.isFinite(out[r][c]) && Float.isFinite(x[r][c])) {
                    // say so here, where the value is known, not later as an infinity the user never wrote
                    throw new LaminaException("Row " + (r + 1) + ", column " + (c + 1) + ": the value " + x[r][c] + " is so far from the"
                            + " training rows (mean " + mean[c] + ", standard deviation " + std[c] + ") that scaling it overflows a"
                            + " 32-bit float. Check the value; it is far outside anything the model was trained on.");
                }
            }
        }
        return out;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }
}
