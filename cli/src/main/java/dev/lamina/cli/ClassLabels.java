package dev.lamina.cli;

import dev.lamina.LaminaException;
import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The classes of a classification target, found in the data: the distinct values, sorted. The
 * network works with their positions 0..n-1 (what sparse cross-entropy and a sigmoid need), and
 * predictions are mapped back to the values, so a target coded 1..10 or 0/1 works the same.
 */
final class ClassLabels {
    /** More distinct values than this is a regression target, not classes. */
    static final int MAX_CLASSES = 1000;

    private final float[] values;

    ClassLabels(float[] values) {
        this.values = values.clone();
    }

    /** The classes of {@code y} (one column), checked against the task. */
    static ClassLabels of(float[][] y, String target, Task task) {
        TreeSet<Float> distinct = new TreeSet<>();
        for (float[] row : y) {
            float v = row[0];
            if (v != Math.rint(v)) {
                throw new LaminaException("Column '" + target + "' has the value " + v + ", but a " + task.cliName()
                        + " target must hold whole-number class labels. Use --task regression to predict a number.");
            }
            distinct.add(v);
            if (distinct.size() > MAX_CLASSES) {
                throw new LaminaException("Column '" + target + "' has more than " + MAX_CLASSES
                        + " distinct values: that is a number to predict, not classes. Use --task regression.");
            }
        }
        if (distinct.size() < 2) {
            throw new LaminaException("Column '" + target + "' has only one value (" + distinct.first()
                    + "); classification needs at least two classes.");
        }
        if (task == Task.BINARY && distinct.size() != 2) {
            throw new LaminaException("Column '" + target + "' has " + distinct.size() + " classes, but --task binary needs exactly 2"
                    + " (found " + preview(distinct) + "). Use --task multiclass.");
        }
        float[] values = new float[distinct.size()];
        int i = 0;
        for (float v : distinct) {
            values[i++] = v;
        }
        return new ClassLabels(values);
    }

    int count() {
        return values.length;
    }

    float[] values() {
        return values.clone();
    }

    float value(int index) {
        return values[index];
    }

    /** Each target value replaced by its class index, one column. */
    float[][] toIndices(float[][] y) {
        float[][] out = new float[y.length][1];
        for (int r = 0; r < y.length; r++) {
            out[r][0] = indexOf(y[r][0]);
        }
        return out;
    }

    /** Each target value as a one-hot row, for categorical cross-entropy. */
    float[][] toOneHot(float[][] y) {
        float[][] out = new float[y.length][values.length];
        for (int r = 0; r < y.length; r++) {
            out[r][indexOf(y[r][0])] = 1f;
        }
        return out;
    }

    private int indexOf(float v) {
        int i = Arrays.binarySearch(values, v);
        if (i < 0) {
            throw new LaminaException("The class " + v + " was not in the training data; the model knows " + preview(values) + ".");
        }
        return i;
    }

    private static String preview(Iterable<Float> values) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (float v : values) {
            if (n++ == 10) {
                sb.append(", ...");
                break;
            }
            sb.append(n > 1 ? ", " : "").append(format(v));
        }
        return sb.toString();
    }

    private static String preview(float[] values) {
        TreeSet<Float> set = new TreeSet<>();
        for (float v : values) {
            set.add(v);
        }
        return preview(set);
    }

    /** A label as it appears in the data: "3", not "3.0". */
    static String format(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
