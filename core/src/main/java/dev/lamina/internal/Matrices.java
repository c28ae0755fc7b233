package dev.lamina.internal;

import dev.lamina.LaminaException;

/** Checks and flattens host matrices given by users, with messages that say where the problem is. */
public final class Matrices {
    private Matrices() {
    }

    /**
     * Row-major copy of {@code m}, checking that it is rectangular with {@code cols} columns (any, if
     * negative) and every value finite.
     */
    public static float[] flatten(String what, float[][] m, int cols) {
        if (m == null) {
            throw new LaminaException(what + " is null.");
        }
        if (m.length == 0) {
            throw new LaminaException(what + " has no rows: give at least one sample.");
        }
        int width = cols >= 0 ? cols : widthOf(what, m);
        float[] flat = new float[Math.multiplyExact(m.length, width)];
        for (int r = 0; r < m.length; r++) {
            float[] row = m[r];
            if (row == null) {
                throw new LaminaException(what + " row " + r + " is null.");
            }
            if (row.length != width) {
                throw new LaminaException(what + " row " + r + " has " + row.length + " values, but " + width
                        + " are expected" + (cols >= 0 ? " (the model's input width)" : " (the width of row 0)") + ".");
            }
            for (int c = 0; c < width; c++) {
                float v = row[c];
                if (!Float.isFinite(v)) {
                    throw new LaminaException(what + " has " + v + " at row " + r + ", column " + c
                            + ". Remove or impute missing values (e.g. with the column mean) before training.");
                }
            }
            System.arraycopy(row, 0, flat, r * width, width);
        }
        return flat;
    }

    public static int widthOf(String what, float[][] m) {
        if (m == null || m.length == 0) {
            throw new LaminaException(what + " has no rows: give at least one sample.");
        }
        if (m[0] == null || m[0].length == 0) {
            throw new LaminaException(what + " row 0 has no values.");
        }
        return m[0].length;
    }
}
