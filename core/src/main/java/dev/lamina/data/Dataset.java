package dev.lamina.data;

import dev.lamina.LaminaException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Features and targets read from a table, with their column names. */
public final class Dataset {
    private final float[][] x;
    private final float[][] y;
    private final List<String> featureNames;
    private final String targetName;

    public Dataset(float[][] x, float[][] y, List<String> featureNames, String targetName) {
        if (x.length != y.length) {
            throw new LaminaException("A dataset needs as many target rows as feature rows: " + x.length + " vs " + y.length + ".");
        }
        this.x = x;
        this.y = y;
        this.featureNames = List.copyOf(featureNames);
        this.targetName = targetName;
    }

    public float[][] x() {
        return x;
    }

    public float[][] y() {
        return y;
    }

    public int rows() {
        return x.length;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public String targetName() {
        return targetName;
    }

    /** The first {@code rows} rows. */
    public Dataset head(int rows) {
        return slice(0, Math.min(rows, rows()));
    }

    /** Rows [from, to). */
    public Dataset slice(int from, int to) {
        return new Dataset(Arrays.copyOfRange(x, from, to), Arrays.copyOfRange(y, from, to), featureNames, targetName);
    }

    /** Splits into the first {@code fraction} of rows and the rest. */
    public Dataset[] split(double fraction) {
        int at = (int) Math.round(rows() * fraction);
        return new Dataset[] {slice(0, at), slice(at, rows())};
    }

    /** A copy with rows in an order drawn from a seeded generator. */
    public Dataset shuffled(long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(seed));
        float[][] sx = new float[rows()][];
        float[][] sy = new float[rows()][];
        for (int i = 0; i < rows(); i++) {
            sx[i] = x[order.get(i)];
            sy[i] = y[order.get(i)];
        }
        return new Dataset(sx, sy, featureNames, targetName);
    }
}
