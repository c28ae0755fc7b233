package dev.lamina.cli;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.TrainingDivergedException;
import dev.lamina.backend.Backends;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.data.CsvReader;
import dev.lamina.losses.Loss;
import dev.lamina.metrics.Metric;
import dev.lamina.optimizers.Optimizer;
import dev.lamina.optimizers.Optimizers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lamina train}: reads a CSV table, standardises the features with the training rows'
 * statistics, builds the course's network for the task, trains it with Keras-style progress and
 * writes the model, its preprocessing, the history and the learning curves to {@code --out}.
 * Every argument is checked before training starts, and the output directory appears only when
 * everything in it is written.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on a CSV table (a header row, numeric columns; .csv.gz works too).",
                "With no DATA it trains the course's deep network on data/concrete.csv."},
        footer = {"", "Examples:",
                "  lamina train",
                "  lamina train data/breast_cancer_wisconsin.csv --task binary --layers 64,64 --epochs 20",
                "  lamina train data/digits_8x8.csv --task multiclass --layers 128 --early-stopping 5 --out digits-model"})
final class TrainCommand implements Callable<Integer> {
    static final String DEFAULT_DATA = "data/concrete.csv";
    static final String DEFAULT_OUT = "lamina-out";
    static final String CHART = "learning-curves.png";
    /** Fewer training rows than this, or fewer than held out, earn a warning. */
    static final int MIN_TRAINING_ROWS = 10;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATA.csv",
            description = "The table to learn from (default: " + DEFAULT_DATA + ", the course's concrete-strength data).")
    Path data;

    @Option(names = "--target", paramLabel = "COLUMN", description = "The column to predict (default: the last column).")
    String target;

    @Option(names = "--task", paramLabel = "TASK",
            description = "regression, binary or multiclass (default: from --loss; regression when there is none).")
    String task;

    @Option(names = "--layers", paramLabel = "UNITS", split = ",", defaultValue = "512,512,512",
            description = "Widths of the hidden Dense layers (default: ${DEFAULT-VALUE}).")
    List<Integer> layers;

    @Option(names = "--activation", defaultValue = "relu", description = "Activation of the hidden layers (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--dropout", paramLabel = "RATE", defaultValue = "0",
            description = "Add Dropout(RATE) after each hidden layer (default: none).")
    double dropout;

    @Option(names = "--batch-norm", description = "Add BatchNormalization after each hidden layer.")
    boolean batchNorm;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam, adamw, rmsprop or adagrad, with Keras' defaults (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "The optimizer's learning rate (default: Keras': adam 0.001, sgd 0.01).")
    Float learningRate;

    @Option(names = "--loss", description = "mse, mae, huber, binary_crossentropy, sparse_categorical_crossentropy, ... "
            + "(default: mse for regression, binary_crossentropy for binary, sparse_categorical_crossentropy for multiclass).")
    String loss;

    @Option(names = "--metrics", split = ",", paramLabel = "METRIC",
            description = "Metrics to report beside the loss (default: mae for regression, accuracy for classification).")
    List<String> metrics;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training rows (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Rows per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--validation-split", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Rows held out for validation, after a seeded shuffle (default: ${DEFAULT-VALUE}; 0 for none).")
    double validationSplit;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when val_loss has not improved by 0.001 for PATIENCE epochs, and keep the best epoch's weights.")
    Integer patience;

    @Option(names = "--backend", description = "auto, cpu or cuda (default: LAMINA_BACKEND or -Dlamina.backend when set, else auto:"
            + " CUDA when a usable GPU is found).")
    String backend;

    @Option(names = "--seed", defaultValue = "42", description = "Seeds the shuffle, the split, the weights and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = DEFAULT_OUT,
            description = "Where to write the model, history.csv and learning-curves.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--save-format", paramLabel = "FORMAT", defaultValue = "safetensors",
            description = "safetensors (model.safetensors) or keras (model.keras, which Keras 3 loads) (default: ${DEFAULT-VALUE}).")
    String saveFormat;

    @Option(names = "--verbose", defaultValue = "1", description = "0 quiet, 1 a progress bar per epoch, 2 one line per epoch (default: ${DEFAULT-VALUE}).")
    int verbose;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws IOException {
        // 1. everything that can be checked without the data, so mistakes fail in a second
        checkNumbers();
        Task kind = task != null ? Task.of(task) : Task.fromLoss(loss);
        String lossName = loss != null ? loss : kind.defaultLoss();
        kind.checkLoss(lossName);
        Loss lossFn = Loss.of(lossName);
        List<String> metricNames = metrics != null ? metrics : kind.defaultMetrics();
        metricNames.forEach(m -> Metric.of(m, lossFn));
        Optimizer opt = optimizer();
        NetworkSpec.forTask(layers, activation, dropout, batchNorm, kind, 2); // checks widths, activation and dropout
        if (backend != null) {
            Backends.use(backend); // otherwise Backends reads -Dlamina.backend, LAMINA_BACKEND, then auto
        }
        StagedOutput.checkTarget(out);
        if (!saveFormat.equals("safetensors") && !saveFormat.equals("keras")) {
            throw new LaminaException("--save-format " + saveFormat + " is not known; use safetensors or keras.");
        }
        boolean keras = saveFormat.equals("keras");

        // 2. the data
        Path file = data != null ? data : Launcher.home().resolve(DEFAULT_DATA);
        TrainingData d = TrainingData.prepare(CsvReader.read(file, target), kind, lossFn, validationSplit, seed);

        warnIfFewTrainingRows(d);

        // 3. the network, if the heap can hold it (a CUDA backend keeps parameters and rows on the device)
        NetworkSpec network = NetworkSpec.forTask(layers, activation, dropout, batchNorm, kind, d.classes());
        if (!Backends.current().name().equals("cuda")) {
            MemoryEstimate.of(network, d.features(), d.xTrain.length + (d.hasValidation() ? d.xValid.length : 0), batchSize,
                    opt.stateSlots()).checkFitsHeap();
        }
        try (Sequential model = network.build()) {
            model.setSeed(seed);
            model.compile(opt, lossFn, metricNames.toArray(new String[0]));
            model.build(d.features());
            describe(shown(file), d, kind, model);

            // 4. training
            FitOptions fit = new FitOptions().epochs(epochs).batchSize(batchSize).seed(seed).verbose(verbose);
            if (d.hasValidation()) {
                fit.validationData(d.xValid, d.yValid);
            }
            EarlyStopping stopper = null;
            if (patience != null) {
                stopper = earlyStopping(d.hasValidation());
                fit.callbacks(stopper);
            }
            History history;
            try {
                history = model.fit(d.xTrain, d.yTrain, fit);
            } catch (TrainingDivergedException e) {
                // fit stops a diverging run itself, with the last good weights; say it the command's way
                throw diverged(e.epoch() + 1, e.loss(), opt);
            }
            report(model, history, stopper, d);

            // 5. the outputs, all or nothing
            Preprocessing prep = Preprocessing.of(d.featureNames(), d.targetName(), kind, d.labels, d.scale, network);
            String modelFile = keras ? ModelBundle.KERAS_FILE : ModelBundle.MODEL_FILE;
            List<String> written = new ArrayList<>(List.of(modelFile, ModelBundle.PREPROCESSING_FILE, "history.csv"));
            try (StagedOutput staged = StagedOutput.begin(out)) {
                ModelBundle.write(model, prep, staged.directory(), keras);
                // the other format's model from an earlier run would be read first by predict: it goes
                staged.remove(keras ? ModelBundle.MODEL_FILE : ModelBundle.KERAS_FILE);
                HistoryCsv.write(history, staged.file("history.csv"));
                if (chart(history, lossFn.name(), file.getFileName() + " → " + d.targetName(), staged.file(CHART))) {
                    written.add(CHART);
                } else {
                    staged.remove(CHART);   // an earlier run's chart must not pass for this one's
                }
                staged.commit();
            }
            console.println("Wrote " + shown(out) + "/: " + String.join(", ", written));
        }
        console.println("Predict with it: lamina predict " + shown(out) + " " + shown(file) + " --out predictions.csv");
        return Main.OK;
    }

    /** Draws the learning curves; a chart must never cost the model, so a failure is a warning and the run is still written. */
    private static boolean chart(History history, String lossName, String what, Path png) {
        try {
            LearningCurveChart.write(history, lossName, what, png);
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("lamina train: warning: the learning-curve chart could not be drawn (" + e
                    + "); the model and history.csv are written without it.");
            return false;
        }
    }

    /** A split that leaves almost nothing to learn from is allowed (a user may want it), but not silently. */
    private void warnIfFewTrainingRows(TrainingData d) {
        int training = d.xTrain.length;
        if (d.hasValidation() && (training < MIN_TRAINING_ROWS || training < d.xValid.length)) {
            System.err.printf(Locale.ROOT, "lamina train: warning: --validation-split %s leaves %d of %d rows for training"
                    + " and holds out %d; the model learns from those %d rows alone. A split of 0.2 is usual.%n",
                    validationSplit, training, d.all.rows(), d.xValid.length, training);
        }
    }

    /** A user can fix this, and a model of NaNs is worth nothing: say how, and write nothing. */
    private static LaminaException diverged(int epoch, double loss, Optimizer opt) {
        return new LaminaException("Training diverged in epoch " + epoch + ": the loss became " + loss
                + ". Lower the learning rate (--learning-rate, now " + opt.learningRate() + ") or try --optimizer adam; "
                + "nothing was written.");
    }

    /** A path as the user would type it here: relative to the working directory when it is below it. */
    static String shown(Path path) {
        Path here = Path.of("").toAbsolutePath();
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(here) && !p.equals(here) ? here.relativize(p).toString() : p.toString();
    }

    private void checkNumbers() {
        if (epochs < 1) {
            throw new LaminaException("--epochs must be at least 1, got " + epochs + ".");
        }
        if (batchSize < 1) {
            throw new LaminaException("--batch-size must be at least 1, got " + batchSize + ".");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new LaminaException("--validation-split is a fraction in [0, 1), got " + validationSplit + ".");
        }
        if (patience != null && patience < 0) {
            throw new LaminaException("--early-stopping takes a patience of 0 or more epochs, got " + patience + ".");
        }
        if (learningRate != null && !(learningRate > 0 && Float.isFinite(learningRate))) {
            throw new LaminaException("--learning-rate must be a positive number, got " + learningRate + ".");
        }
        if (verbose < 0 || verbose > 2) {
            throw new LaminaException("--verbose is 0, 1 or 2, got " + verbose + ".");
        }
    }

    private Optimizer optimizer() {
        Optimizer opt = Optimizers.of(optimizer);
        if (learningRate != null) {
            opt.setLearningRate(learningRate);
        }
        return opt;
    }

    /** The course's EarlyStopping (lesson 4): minDelta 0.001, the given patience, and the best epoch's weights kept. */
    private EarlyStopping earlyStopping(boolean hasValidation) {
        return new EarlyStopping().monitor(hasValidation ? "val_loss" : "loss").minDelta(0.001).patience(patience)
                .restoreBestWeights(true);
    }

    private void describe(String file, TrainingData d, Task kind, Sequential model) {
        String classes = d.labels == null ? "" : ", " + d.labels.count() + " classes";
        console.printf(Locale.ROOT, "Data: %s, %d rows, %d features, target '%s' (%s%s)%n", file, d.all.rows(),
                d.featureNames().size(), d.targetName(), kind.cliName(), classes);
        console.printf(Locale.ROOT, "Training on %d rows, validating on %d (shuffled with seed %d); features standardised"
                + " with the training rows' mean and standard deviation%n", d.xTrain.length, d.hasValidation() ? d.xValid.length : 0, seed);
        console.println("Backend: " + model.backend().description().lines().findFirst().orElse(model.backend().name())
                + " (" + whyThisBackend() + ")");
        console.print(model.summary());
    }

    /** "--backend cpu", or for auto the backends it passed over and why (no GPU, no driver...). */
    private String whyThisBackend() {
        if (!Backends.requestedName().equals(Backends.AUTO)) {
            return backend != null ? "--backend " + backend : "chosen by " + Backends.PROPERTY + " or " + Backends.ENVIRONMENT;
        }
        List<String> skipped = new ArrayList<>();
        Backends.found().forEach((name, status) -> {
            if (!status.equals("usable")) {
                skipped.add(name + " " + status);
            }
        });
        if (!Backends.found().containsKey("cuda")) {
            skipped.add("no CUDA backend on the class path");
        }
        return skipped.isEmpty() ? "auto: the best backend found" : "auto; " + String.join("; ", skipped);
    }

    private void report(Sequential model, History history, EarlyStopping stopper, TrainingData d) {
        if (stopper != null && history.epochs() < epochs) {
            console.printf(Locale.ROOT, "Stopped early after %d of %d epochs: %s did not improve by 0.001 for %d epochs;"
                    + " kept the weights of epoch %d, the last to improve it that much.%n", history.epochs(), epochs,
                    d.hasValidation() ? "val_loss" : "loss", patience, stopper.bestEpoch() + 1);
        }
        console.println(stopper == null ? "Final metrics:" : "Final metrics (best epoch's weights):");
        console.println("  training rows:   " + format(model.evaluate(d.xTrain, d.yTrain)));
        if (d.hasValidation()) {
            console.println("  validation rows: " + format(model.evaluate(d.xValid, d.yValid)));
        }
    }

    private static String format(Map<String, Double> scores) {
        List<String> parts = new ArrayList<>();
        scores.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s: %.4f", k, v)));
        return String.join(" - ", parts);
    }
}
