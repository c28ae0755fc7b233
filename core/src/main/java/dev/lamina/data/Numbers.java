package dev.lamina.data;

import dev.lamina.LaminaException;
import java.util.regex.Pattern;

/**
 * The numbers a table may hold: decimal ({@code -1.5}, {@code .5}, {@code 3.}) and scientific
 * notation ({@code 2.5e-3}), as pandas and NumPy read them. Java's own grammar would also take
 * {@code 1.5f}, {@code 2d} and hexadecimal {@code 0x1p2}, which no CSV writer means as numbers;
 * NaN and infinity are refused with a hint, since a network cannot learn from them.
 */
public final class Numbers {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private Numbers() {
    }

    /** Whether {@code text} is a number in decimal or scientific notation (and nothing else: no suffix, hex, NaN or infinity). */
    public static boolean isDecimal(String text) {
        return DECIMAL.matcher(text).matches();
    }

    /** {@code text} as a finite float; {@code where} ("data.csv, line 3, column 'b'") starts the error message. */
    public static float parse(String text, String where) {
        if (text.isEmpty()) {
            throw new LaminaException(where + ": the value is missing. Fill or drop rows with missing values first.");
        }
        if (NOT_FINITE.matcher(text).matches()) {
            throw new LaminaException(where + ": " + text
                    + " is not a finite number. Replace NaN or infinite values (e.g. with the column mean) first.");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new LaminaException(where + ": '" + text + "' is not a number (decimal or scientific notation, such as 1.5"
                    + " or 2e-3). Every column must be numeric; encode categories as numbers first.");
        }
        float v = Float.parseFloat(text);
        if (!Float.isFinite(v)) {
            throw new LaminaException(where + ": " + text + " is too large for a 32-bit float (at most about 3.4e38);"
                    + " rescale the column first.");
        }
        return v;
    }
}
