package dev.lamina;

import dev.lamina.callbacks.Callback;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The options of {@code fit}, with Keras' defaults: 1 epoch, batch size 32, shuffling every epoch,
 * no validation, progress bar (verbose 1), written to {@code System.out}.
 */
public final class FitOptions {
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private float[][] validationX;
    private float[][] validationY;
    private PreparedData validationPrepared;
    private double validationSplit;
    private final List<Callback> callbacks = new ArrayList<>();
    private int verbose = 1;
    private Long seed;
    private PrintStream output;

    public FitOptions epochs(int epochs) {
        if (epochs < 0) {
            throw new LaminaException("epochs must not be negative, got " + epochs + ".");
        }
        this.epochs = epochs;
        return this;
    }

    public FitOptions batchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new LaminaException("batchSize must be positive, got " + batchSize + ".");
        }
        this.batchSize = batchSize;
        return this;
    }

    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** Data to evaluate at the end of each epoch; takes precedence over {@link #validationSplit}. */
    public FitOptions validationData(float[][] x, float[][] y) {
        if (x == null || y == null) {
            throw new LaminaException("validationData needs both x and y.");
        }
        this.validationX = x;
        this.validationY = y;
        this.validationPrepared = null;
        return this;
    }

    /** Validation rows already uploaded with {@link Sequential#prepare}; replaces {@link #validationData(float[][], float[][])}. */
    public FitOptions validationData(PreparedData data) {
        if (data == null) {
            throw new LaminaException("validationData needs the prepared rows, got null.");
        }
        this.validationPrepared = data;
        this.validationX = null;
        this.validationY = null;
        return this;
    }

    /** The fraction of rows, taken from the end before shuffling (as Keras), held out for validation. */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new LaminaException("validationSplit must be in [0, 1), got " + fraction + ".");
        }
        this.validationSplit = fraction;
        return this;
    }

    public FitOptions callbacks(Callback... callbacks) {
        this.callbacks.addAll(Arrays.asList(callbacks));
        return this;
    }

    /** 0 silent, 1 a progress bar per epoch, 2 one line per epoch. */
    public FitOptions verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new LaminaException("verbose must be 0, 1 or 2, got " + verbose + ".");
        }
        this.verbose = verbose;
        return this;
    }

    /** Seeds shuffling and dropout (and the weights, if the model is not built yet). */
    public FitOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Where fit's progress and the callbacks' messages (EarlyStopping, TerminateOnNaN) go; standard
     * output by default. A stream other than {@code System.out} gets one line per update and no
     * colours, as a log file does.
     */
    public FitOptions output(PrintStream output) {
        if (output == null) {
            throw new LaminaException("output must not be null; use verbose(0) for no progress output.");
        }
        this.output = output;
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public float[][] validationX() {
        return validationX;
    }

    public float[][] validationY() {
        return validationY;
    }

    public PreparedData validationPrepared() {
        return validationPrepared;
    }

    public double validationSplit() {
        return validationSplit;
    }

    public List<Callback> callbacks() {
        return Collections.unmodifiableList(callbacks);
    }

    public int verbose() {
        return verbose;
    }

    public Long seed() {
        return seed;
    }

    /** The stream set with {@link #output(PrintStream)}, else {@code System.out} as it is now. */
    public PrintStream output() {
        return output != null ? output : System.out;
    }
}
