package dev.lamina;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import dev.lamina.backend.UnaryOp;
import dev.lamina.callbacks.BatchLogs;
import dev.lamina.callbacks.Callback;
import dev.lamina.callbacks.ProgressLogger;
import dev.lamina.callbacks.TerminateOnNaN;
import dev.lamina.internal.DeviceData;
import dev.lamina.internal.ExclusiveUse;
import dev.lamina.internal.Matrices;
import dev.lamina.layers.Input;
import dev.lamina.layers.Layer;
import dev.lamina.layers.Parameter;
import dev.lamina.layers.StepContext;
import dev.lamina.losses.Loss;
import dev.lamina.metrics.Metric;
import dev.lamina.optimizers.Optimizer;
import dev.lamina.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A linear stack of layers, as Keras' {@code Sequential}: build, compile, fit, evaluate, predict.
 *
 * <p>The model runs on the backend chosen when it is built (see {@link Backends}); the training data
 * is uploaded once per {@code fit} and every step runs on the backend, reading the loss back only
 * to report progress.
 *
 * <p>Threads: a model is not thread-safe; use each model from one thread at a time. Different
 * models may be trained and used from different threads at once, also on the same backend
 * instance: they share no mutable state, and the backends accept calls from several threads
 * (tested on the CPU backend: results are bit-identical to the models run alone).
 */
public class Sequential implements AutoCloseable {
    /** Rows per forward pass in predict and evaluate; larger than Keras' 32 since it changes no result. */
    private static final int INFERENCE_BATCH = 256;

    private final List<Layer> layers = new ArrayList<>();
    private String name = "sequential";
    private Backend backend;
    private int inputWidth = -1;
    /** The width an {@link Input} declared; the model is built with it at first use. */
    private int declaredInputWidth = -1;
    private Long seed;
    private Loss loss;
    private Optimizer optimizer;
    private final List<Metric> metrics = new ArrayList<>();
    private final List<String> metricKeys = new ArrayList<>();
    private StepContext ctx;
    private Scratch scratch;
    private int capacityRows;
    private Storage inputBuffer;
    private Storage targetBuffer;
    private Storage gradientBuffer;
    private Storage[] outputs;
    private volatile boolean stopTraining;
    /** Kept between fits (see {@link #divergenceGuard()}); released at close. */
    private DivergenceGuard guard;
    /** Per-batch loss and metric values of fit's epochs and of evaluate; kept and grown, released at close. */
    private EpochSlots trainSlots;
    private EpochSlots evaluationSlots;
    /** A model is used by one thread at a time; a second thread gets a clear error, not corrupted results. */
    private final ExclusiveUse use = new ExclusiveUse("this model");
    private boolean closed;
    private int fitCount;

    public Sequential(Layer... layers) {
        for (Layer layer : layers) {
            add(layer);
        }
    }

    /**
     * The layers' names: each one's own, else its type numbered as Keras does (dense, dense_1, ...).
     * Build gives them; the summary shows them before that.
     */
    List<String> layerNames() {
        Map<String, Integer> counts = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer.name() != null) {
                names.add(layer.name());
            } else {
                int n = counts.merge(layer.typeName(), 1, Integer::sum);
                names.add(n == 1 ? layer.typeName() : layer.typeName() + "_" + (n - 1));
            }
        }
        return names;
    }

    /** The width an {@link Input} at the head declared, or 0 when there is none. */
    int declaredInputWidth() {
        return Math.max(declaredInputWidth, 0);
    }

    /** Appends a layer; only before the model is built. */
    public Sequential add(Layer layer) {
        requireOpen();
        if (layer == null) {
            throw new LaminaException("Cannot add a null layer.");
        }
        if (isBuilt()) {
            throw new LaminaException("Cannot add " + layer.describe() + ": the model is already built. Add layers before the first "
                    + "fit, predict or build.");
        }
        if (layer instanceof Input) {
            if (!layers.isEmpty() || declaredInputWidth > 0) {
                throw new LaminaException("Input must come first and only once: new Sequential(new Input(8), new Dense(4), ...).");
            }
            declaredInputWidth = ((Input) layer).width();
            return this;
        }
        if (layers.contains(layer)) {
            throw new LaminaException("Layer " + layer.describe() + " is already in this model; create a new layer instead.");
        }
        layer.joinModel(this);
        layers.add(layer);
        return this;
    }

    public Sequential name(String name) {
        this.name = name;
        return this;
    }

    public String name() {
        return name;
    }

    /** Seeds weight initialisation, shuffling and dropout; call before the model is built. */
    public Sequential setSeed(long seed) {
        this.seed = seed;
        return this;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public boolean isBuilt() {
        return inputWidth > 0;
    }

    /** The input width the model was built for. */
    public int inputWidth() {
        requireBuilt();
        return inputWidth;
    }

    public int outputWidth() {
        requireBuilt();
        return layers.get(layers.size() - 1).outputWidth();
    }

    /** The backend the model runs on; chosen at build time from {@link Backends#current()}. */
    public Backend backend() {
        requireBuilt();
        return backend;
    }

    /**
     * Builds the model for inputs of {@code inputWidth} columns on the current backend and
     * initialises the weights. Optional: fit and predict build from their data.
     */
    public Sequential build(int inputWidth) {
        return build(inputWidth, null);
    }

    /**
     * Builds the model on an explicit backend instance rather than {@link Backends#current()}: for
     * a backend configured in code, such as a CPU backend with a chosen thread count.
     */
    public Sequential build(int inputWidth, Backend on) {
        return use.call("build", () -> buildAlone(inputWidth, on));
    }

    private Sequential buildAlone(int inputWidth, Backend on) {
        requireOpen();
        if (isBuilt()) {
            if (inputWidth != this.inputWidth) {
                throw new LaminaException("The model is already built for " + this.inputWidth + " inputs; it cannot be rebuilt for "
                        + inputWidth + ". Create a new model for data of another width.");
            }
            if (on != null && on != backend) {
                throw new LaminaException("The model is already built on the " + backend.name() + " backend; it cannot move to "
                        + "another backend. Save it and load it there instead.");
            }
            return this;
        }
        if (inputWidth <= 0) {
            throw new LaminaException("The input width must be positive, got " + inputWidth + ".");
        }
        if (declaredInputWidth > 0 && inputWidth != declaredInputWidth) {
            throw new LaminaException("The model's Input declares " + declaredInputWidth + " inputs, but the data has "
                    + inputWidth + " columns. Give data with " + declaredInputWidth + " columns.");
        }
        if (layers.isEmpty()) {
            throw new LaminaException("The model has no layers: add at least one, e.g. new Sequential(new Dense(1)).");
        }
        Backend chosen = on != null ? on : Backends.current();
        if (seed == null) {
            seed = new Random().nextLong();
        }
        Random init = new Random(seed);
        List<String> given = layerNames();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            layer.name(given.get(i));
            // names key the weights in saved files, so two layers must not share one (Keras refuses this too)
            if (!names.add(layer.name())) {
                throw new LaminaException("Two layers are named '" + layer.name() + "'; layer names must be unique in a model.");
            }
        }
        int width = inputWidth;
        for (Layer layer : layers) {
            layer.build(chosen, width, init);
            width = layer.outputWidth();
        }
        this.backend = chosen;
        this.inputWidth = inputWidth;
        this.scratch = new Scratch(chosen);
        this.ctx = new StepContext(chosen, scratch);
        this.outputs = new Storage[layers.size()];
        return this;
    }

    /** Sets optimizer, loss and metrics by Keras name, case-insensitively: {@code compile("adam", "mse", "mae")}. */
    public void compile(String optimizer, String loss, String... metrics) {
        compile(Optimizers.of(optimizer), Loss.of(loss), metrics);
    }

    public void compile(Optimizer optimizer, String loss, String... metrics) {
        compile(optimizer, Loss.of(loss), metrics);
    }

    public void compile(Optimizer optimizer, Loss loss, String... metrics) {
        use.run("compile", () -> compileAlone(optimizer, loss, metrics));
    }

    private void compileAlone(Optimizer optimizer, Loss loss, String... metrics) {
        requireOpen();
        if (optimizer == null || loss == null) {
            throw new LaminaException("compile needs an optimizer and a loss, e.g. compile(\"adam\", \"mse\").");
        }
        List<Metric> resolved = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String m : metrics) {
            Metric metric = Metric.of(m, loss);
            resolved.add(metric);
            keys.add(Metric.historyKey(m, metric));
        }
        if (this.optimizer != null && this.optimizer != optimizer && backend != null) {
            this.optimizer.release(backend);
            closeGuard();       // its snapshot holds the old optimizer's state
        }
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics.clear();
        this.metrics.addAll(resolved);
        this.metricKeys.clear();
        this.metricKeys.addAll(keys);
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /** The names of the compiled metrics as they appear in the history. */
    public List<String> metricNames() {
        return Collections.unmodifiableList(metricKeys);
    }

    /**
     * Asks fit to stop after the current batch (EarlyStopping and TerminateOnNaN use this). The one
     * method any thread may call while another trains the model: a way to cancel training.
     */
    public void stopTraining() {
        stopTraining = true;
    }

    // ------------------------------------------------------------------ fit

    /** Trains for {@code epochs} epochs with Keras' defaults (batch 32, shuffling, progress bar). */
    public History fit(float[][] x, float[][] y, int epochs) {
        return fit(x, y, new FitOptions().epochs(epochs));
    }

    /**
     * Trains with Keras' options. If a batch's loss becomes NaN or infinite (or the weights do),
     * fit throws {@link TrainingDivergedException} naming the epoch and batch, after putting back
     * the weights and optimizer state of the end of the last finite epoch; the check runs where
     * fit reads the losses at each epoch's end, so it costs a training step nothing. With a
     * {@link TerminateOnNaN} callback fit behaves as Keras: it stops after the bad batch and
     * returns, keeping the weights as they are.
     */
    public History fit(float[][] x, float[][] y, FitOptions options) {
        return use.call("fit", () -> fitArrays(x, y, options));
    }

    /**
     * Trains on rows uploaded once with {@link #prepare}, as {@link #fit(float[][], float[][], FitOptions)}
     * does on arrays (same seed, same results), without copying the rows again: the way to call fit
     * many times on the same data. {@code validationSplit} needs the arrays; prepare the validation
     * rows apart and give them with {@link FitOptions#validationData(PreparedData)}.
     */
    public History fit(PreparedData data, FitOptions options) {
        return use.call("fit", () -> fitPrepared(data, options));
    }

    /**
     * Uploads {@code x, y} to the model's backend once, checked as fit checks them, for
     * {@link #fit(PreparedData, FitOptions)} and {@link #evaluate(PreparedData)} to reuse. Needs a
     * compiled model (the loss decides the targets' width); builds it from {@code x} if not built.
     */
    public PreparedData prepare(float[][] x, float[][] y) {
        return use.call("prepare", () -> {
            requireOpen();
            requireCompiled("prepare");
            checkRows("x", x, "y", y);
            ensureBuilt(x);
            return new PreparedData(this, upload("x", x, "y", y));
        });
    }

    private History fitArrays(float[][] x, float[][] y, FitOptions options) {
        requireOpen();
        requireCompiled("fit");
        checkRows("x", x, "y", y);
        if (options.seed() != null && !isBuilt()) {
            seed = options.seed();
        }
        ensureBuilt(x);
        float[][] trainX = x;
        float[][] trainY = y;
        float[][] valX = options.validationX();
        float[][] valY = options.validationY();
        if (valX == null && options.validationPrepared() == null && options.validationSplit() > 0) {
            int splitAt = (int) Math.ceil(x.length * (1 - options.validationSplit()));
            if (splitAt <= 0 || splitAt >= x.length) {
                throw new LaminaException("validationSplit " + options.validationSplit() + " of " + x.length
                        + " rows leaves no rows for training or for validation; use more data or another fraction.");
            }
            trainX = java.util.Arrays.copyOfRange(x, 0, splitAt);
            trainY = java.util.Arrays.copyOfRange(y, 0, splitAt);
            valX = java.util.Arrays.copyOfRange(x, splitAt, x.length);
            valY = java.util.Arrays.copyOfRange(y, splitAt, y.length);
        }
        if (valX != null) {
            checkRows("validation x", valX, "validation y", valY);
        }
        try (DeviceData train = upload("x", trainX, "y", trainY);
             DeviceData validation = valX == null ? null : upload("validation x", valX, "validation y", valY)) {
            return fitOn(train, validation != null ? validation : preparedValidation(options), options);
        }
    }

    private History fitPrepared(PreparedData data, FitOptions options) {
        requireOpen();
        requireCompiled("fit");
        if (data == null) {
            throw new LaminaException("fit needs the prepared rows, got null.");
        }
        DeviceData train = data.dataFor(this, "The training data");
        float[][] valX = options.validationX();
        if (valX == null && options.validationPrepared() == null && options.validationSplit() > 0) {
            throw new LaminaException("validationSplit needs the rows as arrays to split; with prepared data, prepare the "
                    + "validation rows apart and pass FitOptions.validationData(model.prepare(valX, valY)).");
        }
        if (valX != null) {
            checkRows("validation x", valX, "validation y", options.validationY());
            ensureBuilt(valX);
        }
        try (DeviceData validation = valX == null ? null : upload("validation x", valX, "validation y", options.validationY())) {
            return fitOn(train, validation != null ? validation : preparedValidation(options), options);
        }
    }

    private DeviceData preparedValidation(FitOptions options) {
        PreparedData v = options.validationPrepared();
        return v == null ? null : v.dataFor(this, "The validation data");
    }

    /**
     * The training loop proper, on rows already on the backend. Allocates nothing per step, and per
     * call only its bookkeeping (history, logs): the buffers it needs are kept by the model.
     */
    private History fitOn(DeviceData train, DeviceData validation, FitOptions options) {
        regularizedCache = null;        // a regulariser may have been set since the last fit
        long runSeed = options.seed() != null ? options.seed() : seed + 1_000_003L * ++fitCount;
        Random shuffleRandom = new Random(runSeed);
        ctx.seed(runSeed * 0x9E3779B97F4A7C15L + 1);
        ctx.step(optimizer.iterations());      // dropout streams follow the global step, so a restored model continues alike
        train.resetOrder();         // prepared rows start each fit in their original order, as fresh ones do

        History history = new History(historyKeys(validation != null));
        int batchSize = Math.min(options.batchSize(), train.rows);
        int steps = (train.rows + batchSize - 1) / batchSize;
        ensureCapacity(batchSize);
        List<Callback> callbacks = new ArrayList<>(options.callbacks());
        if (options.verbose() > 0) {
            callbacks.add(0, new ProgressLogger(options.output(), options.verbose(), options.epochs(), steps));
        }
        for (Callback c : callbacks) {
            c.setModel(this);
            c.setOutput(options.output());
        }
        stopTraining = false;
        callbacks.forEach(Callback::onTrainBegin);
        Map<String, Double> logs = new LinkedHashMap<>();
        EpochSlots slots = trainSlots = slotsFor(trainSlots, steps);
        BatchLogs batchLogs = new BatchLogs(done -> slots.means(done, batchSize, train.rows, ""));
        // with TerminateOnNaN the user asked for Keras' behaviour: stop quietly, keep what is there
        boolean guarded = true;
        for (Callback c : callbacks) {
            guarded &= !(c instanceof TerminateOnNaN);
        }
        DivergenceGuard guard = guarded ? divergenceGuard() : null;
        try {
            if (guard != null) {
                guard.start();
            }
            for (int epoch = 0; epoch < options.epochs() && !stopTraining; epoch++) {
                final int e = epoch;
                callbacks.forEach(c -> c.onEpochBegin(e));
                if (options.shuffle()) {
                    train.shuffle(shuffleRandom);
                }
                int done = 0;
                for (int step = 0; step < steps; step++) {
                    for (int c = 0; c < callbacks.size(); c++) {
                        callbacks.get(c).onBatchBegin(step);
                    }
                    int start = step * batchSize;
                    int rows = Math.min(batchSize, train.rows - start);
                    trainBatch(train, start, rows, step, slots);
                    done = step + 1;
                    for (int c = 0; c < callbacks.size(); c++) {
                        callbacks.get(c).onBatchEnd(step, batchLogs.at(step + 1));
                    }
                    if (stopTraining || guard != null && diverged(batchLogs.ifRead())) {
                        break;      // a diverged run stops here; the guard reports it below
                    }
                }
                if (guard != null) {
                    guard.afterEpoch(epoch, options.epochs(), slots.download(slots.loss, done), done, steps, history);
                }
                logs = slots.means(done, batchSize, train.rows, "");
                if (validation != null) {
                    logs.putAll(evaluateOn(validation, "val_"));
                }
                history.append(logs);
                Map<String, Double> epochLogs = Collections.unmodifiableMap(new LinkedHashMap<>(logs));
                callbacks.forEach(c -> c.onEpochEnd(e, epochLogs));
            }
        } finally {
            Map<String, Double> finalLogs = Collections.unmodifiableMap(logs);
            callbacks.forEach(c -> c.onTrainEnd(finalLogs));
        }
        return history;
    }

    /** The keys fit logs each epoch: the loss and the metrics, then their val_ twins when there is validation data. */
    private List<String> historyKeys(boolean validated) {
        List<String> keys = new ArrayList<>();
        keys.add("loss");
        keys.addAll(metricKeys);
        if (validated) {
            new ArrayList<>(keys).forEach(k -> keys.add("val_" + k));
        }
        return keys;
    }

    /**
     * The guard, kept from fit to fit so that its snapshot of the weights (a copy as large as the
     * parameters and optimizer state) is not allocated again at every call; made anew when compile
     * changes the optimizer.
     */
    private DivergenceGuard divergenceGuard() {
        if (guard == null || !guard.watches(optimizer)) {
            closeGuard();
            guard = new DivergenceGuard(backend, scratch, optimizer, allParameters());
        }
        return guard;
    }

    private void closeGuard() {
        if (guard != null) {
            guard.close();
            guard = null;
        }
    }

    /**
     * True when a callback (the progress bar, say) has already downloaded this batch's running
     * loss and it is not finite: fit then stops the epoch at once instead of training on to its
     * end. Costs nothing when nobody read the logs.
     */
    private static boolean diverged(Map<String, Double> logsRead) {
        if (logsRead == null) {
            return false;
        }
        Double loss = logsRead.get("loss");
        return loss != null && !Double.isFinite(loss);
    }

    /** One training step on rows [start, start+rows) of the epoch's order. */
    private void trainBatch(DeviceData data, int start, int rows, int step, EpochSlots slots) {
        backend.gatherRows(data.x, data.xCols, data.order, start, rows, inputBuffer);
        backend.gatherRows(data.y, data.yCols, data.order, start, rows, targetBuffer);
        ctx.training(true);
        Storage prediction = forward(inputBuffer, rows);
        int outputs = outputWidth();
        for (int i = 0; i < metrics.size(); i++) {
            metrics.get(i).batchValue(backend, prediction, targetBuffer, rows, outputs, slots.metric[i], step, scratch);
        }
        backend.loss(loss.kind(), prediction, targetBuffer, rows, outputs, loss.param(), gradientBuffer, slots.loss, step, scratch);
        backward(inputBuffer, gradientBuffer, rows);
        addRegularization(slots.loss, step, true);
        optimizer.apply(backend, trainableParameters(), scratch);
        ctx.step(ctx.step() + 1);
    }

    /**
     * Keras' kernel regularisers: adds λ₁Σ|w| + λ₂Σw² to the batch loss and, when training, their
     * gradient λ₁·sign(w) + 2λ₂·w to the weights' gradients.
     */
    private void addRegularization(Storage lossSlots, int step, boolean gradients) {
        List<Parameter> regularized = regularizedParameters();
        for (int i = 0, count = regularized.size(); i < count; i++) {
            Parameter p = regularized.get(i);
            Storage s = scratch.get(12, p.size());
            if (p.l2() != 0) {
                backend.unary(UnaryOp.SQUARE, p.storage(), s, p.size());
                backend.sum(s, p.size(), p.l2(), lossSlots, step, true);
                if (gradients) {
                    backend.axpby(2 * p.l2(), p.storage(), 1f, p.gradient(), p.size());
                }
            }
            if (p.l1() != 0) {
                backend.unary(UnaryOp.ABS, p.storage(), s, p.size());
                backend.sum(s, p.size(), p.l1(), lossSlots, step, true);
                if (gradients) {
                    backend.unary(UnaryOp.SIGN, p.storage(), s, p.size());
                    backend.axpby(p.l1(), s, 1f, p.gradient(), p.size());
                }
            }
        }
    }

    private List<Parameter> regularizedCache;

    private List<Parameter> regularizedParameters() {
        if (regularizedCache == null) {
            List<Parameter> list = new ArrayList<>();
            for (Parameter p : trainableParameters()) {
                if (p.l1() != 0 || p.l2() != 0) {
                    list.add(p);
                }
            }
            regularizedCache = list;
        }
        return regularizedCache;
    }

    private List<Parameter> trainableCache;

    private List<Parameter> allCache;

    /** Every parameter, trainable or not, in layer order; fixed once the model is built. */
    private List<Parameter> allParameters() {
        if (allCache == null) {
            List<Parameter> list = new ArrayList<>();
            for (Layer layer : layers) {
                list.addAll(layer.parameters());
            }
            allCache = list;
        }
        return allCache;
    }

    private List<Parameter> trainableParameters() {
        if (trainableCache == null) {
            List<Parameter> list = new ArrayList<>();
            for (Layer layer : layers) {
                for (Parameter p : layer.parameters()) {
                    if (p.trainable()) {
                        list.add(p);
                    }
                }
            }
            trainableCache = list;
        }
        return trainableCache;
    }

    private Storage forward(Storage input, int rows) {
        Storage current = input;
        for (int i = 0; i < layers.size(); i++) {
            ctx.layerIndex(i);
            current = layers.get(i).forward(current, rows, ctx);
            outputs[i] = current;
        }
        return current;
    }

    private void backward(Storage input, Storage gradient, int rows) {
        Storage d = gradient;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Storage layerInput = i == 0 ? input : outputs[i - 1];
            ctx.layerIndex(i);
            d = layers.get(i).backward(layerInput, d, rows, i > 0, ctx);
        }
    }

    /** {@code kept} if it holds {@code steps} values per metric of the compiled ones, else new slots in its place. */
    private EpochSlots slotsFor(EpochSlots kept, int steps) {
        if (kept != null && kept.steps >= steps && kept.metric.length == metrics.size()) {
            return kept;
        }
        if (kept != null) {
            kept.close();
            // forget it before allocating anew: if that runs out of memory, close() must not release it twice
            if (kept == trainSlots) {
                trainSlots = null;
            } else {
                evaluationSlots = null;
            }
        }
        return new EpochSlots(steps);
    }

    /** Per-batch loss and metric values of one epoch, kept on the device until the epoch's end. */
    private final class EpochSlots implements AutoCloseable {
        final int steps;
        final Storage loss;
        final Storage[] metric;

        /** Host copy of one slot array, reused so that reading an epoch's values allocates nothing. */
        private final float[] host;

        EpochSlots(int steps) {
            this.steps = steps;
            this.host = new float[steps];
            this.loss = backend.allocate(steps);
            this.metric = new Storage[metrics.size()];
            try {
                for (int i = 0; i < metric.length; i++) {
                    metric[i] = backend.allocate(steps);
                }
            } catch (RuntimeException e) {
                close();        // out of device memory half-way: give back what was taken
                throw e;
            }
        }

        /** Sample-weighted means over the first {@code done} batches, as Keras' trackers. */
        Map<String, Double> means(int done, int batchSize, int totalRows, String prefix) {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put(prefix.isEmpty() ? "loss" : prefix + "loss", weightedMean(loss, done, batchSize, totalRows));
            for (int i = 0; i < metric.length; i++) {
                String key = metricKeys.get(i);
                out.put(prefix.isEmpty() ? key : prefix + key, weightedMean(metric[i], done, batchSize, totalRows));
            }
            return out;
        }

        /**
         * The first {@code done} values of a slot array, on the host (waits for the device), in an
         * array kept for the purpose: valid until the next download.
         */
        float[] download(Storage values, int done) {
            backend.download(values, 0, host, 0, done);
            return host;
        }

        private double weightedMean(Storage values, int done, int batchSize, int totalRows) {
            float[] host = download(values, done);
            double sum = 0;
            long rows = 0;
            for (int b = 0; b < done; b++) {
                int r = Math.min(batchSize, totalRows - b * batchSize);
                sum += (double) host[b] * r;
                rows += r;
            }
            return sum / rows;
        }

        @Override
        public void close() {
            backend.release(loss);
            for (Storage s : metric) {
                if (s != null) {
                    backend.release(s);
                }
            }
        }
    }

    // ------------------------------------------------------------------ evaluate, predict

    /** The loss and each metric on {@code x, y}, as Keras' {@code evaluate(return_dict=True)}. */
    public Map<String, Double> evaluate(float[][] x, float[][] y) {
        return use.call("evaluate", () -> evaluateAlone(x, y));
    }

    /** The loss and each metric on rows uploaded with {@link #prepare}. */
    public Map<String, Double> evaluate(PreparedData data) {
        return use.call("evaluate", () -> {
            requireOpen();
            requireCompiled("evaluate");
            if (data == null) {
                throw new LaminaException("evaluate needs the prepared rows, got null.");
            }
            regularizedCache = null;
            return evaluateOn(data.dataFor(this, "The data"), "");
        });
    }

    private Map<String, Double> evaluateAlone(float[][] x, float[][] y) {
        requireOpen();
        requireCompiled("evaluate");
        regularizedCache = null;
        checkRows("x", x, "y", y);
        ensureBuilt(x);
        try (DeviceData data = upload("x", x, "y", y)) {
            return evaluateOn(data, "");
        }
    }

    private Map<String, Double> evaluateOn(DeviceData data, String prefix) {
        int batch = Math.min(INFERENCE_BATCH, data.rows);
        ensureCapacity(batch);
        int steps = (data.rows + batch - 1) / batch;
        EpochSlots slots = evaluationSlots = slotsFor(evaluationSlots, steps);
        data.resetOrder();          // prepared rows a fit has shuffled: evaluate in their own order, as fresh ones
        ctx.training(false);
        int outputs = outputWidth();
        for (int step = 0; step < steps; step++) {
            int start = step * batch;
            int rows = Math.min(batch, data.rows - start);
            backend.gatherRows(data.x, data.xCols, data.order, start, rows, inputBuffer);
            backend.gatherRows(data.y, data.yCols, data.order, start, rows, targetBuffer);
            Storage prediction = forward(inputBuffer, rows);
            for (int i = 0; i < metrics.size(); i++) {
                metrics.get(i).batchValue(backend, prediction, targetBuffer, rows, outputs, slots.metric[i], step, scratch);
            }
            backend.loss(loss.kind(), prediction, targetBuffer, rows, outputs, loss.param(), gradientBuffer, slots.loss, step, scratch);
            addRegularization(slots.loss, step, false);
        }
        return slots.means(steps, batch, data.rows, prefix);
    }

    /** The model's outputs for each row of {@code x}, in inference mode (no dropout, moving batch-norm statistics). */
    public float[][] predict(float[][] x) {
        List<float[][]> all = run(x, false);
        return all.get(all.size() - 1);
    }

    /** Every layer's output for {@code x} (inference mode), one entry per layer, to watch how layers transform data. */
    public List<float[][]> layerOutputs(float[][] x) {
        return run(x, true);
    }

    private List<float[][]> run(float[][] x, boolean everyLayer) {
        return use.call("predict", () -> runAlone(x, everyLayer));
    }

    private List<float[][]> runAlone(float[][] x, boolean everyLayer) {
        requireOpen();
        ensureBuilt(x);
        float[] flat = Matrices.flatten("x", x, inputWidth);
        int total = x.length;
        int batch = Math.min(INFERENCE_BATCH, total);
        ensureCapacity(batch);
        ctx.training(false);
        List<float[][]> results = new ArrayList<>();
        int first = everyLayer ? 0 : layers.size() - 1;
        for (int i = first; i < layers.size(); i++) {
            results.add(new float[total][layers.get(i).outputWidth()]);
        }
        for (int start = 0; start < total; start += batch) {
            int rows = Math.min(batch, total - start);
            backend.upload(flat, start * inputWidth, inputBuffer, 0, rows * inputWidth);
            forward(inputBuffer, rows);
            for (int i = first; i < layers.size(); i++) {
                int width = layers.get(i).outputWidth();
                float[] out = new float[rows * width];
                backend.download(outputs[i], 0, out, 0, out.length);
                float[][] target = results.get(i - first);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(out, r * width, target[start + r], 0, width);
                }
            }
        }
        return results;
    }

    // ------------------------------------------------------------------ weights

    /** Every parameter as a matrix, layer by layer, in Keras' order (kernel [in][units], then bias as [1][units]). */
    public List<float[][]> getWeights() {
        return use.call("getWeights", () -> getWeightsAlone());
    }

    private List<float[][]> getWeightsAlone() {
        requireBuilt();
        List<float[][]> out = new ArrayList<>();
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                out.add(p.value().toArray());
            }
        }
        return out;
    }

    /** Sets every parameter from {@link #getWeights()}' layout; checks all shapes first, so a failure changes nothing. */
    public void setWeights(List<float[][]> weights) {
        use.run("setWeights", () -> setWeightsAlone(weights));
    }

    private void setWeightsAlone(List<float[][]> weights) {
        requireBuilt();
        List<Parameter> all = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (Layer layer : layers) {
            for (Parameter p : layer.parameters()) {
                all.add(p);
                owners.add(layer.name() + "/" + p.name());
            }
        }
        if (weights.size() != all.size()) {
            throw new LaminaException("setWeights got " + weights.size() + " arrays but the model has " + all.size()
                    + " parameters: " + String.join(", ", owners) + ".");
        }
        for (int i = 0; i < all.size(); i++) {
            Parameter p = all.get(i);
            float[][] w = weights.get(i);
            boolean ok = w.length == p.rows();
            for (int r = 0; ok && r < w.length; r++) {
                ok = w[r] != null && w[r].length == p.cols();
            }
            if (!ok) {
                throw new LaminaException("setWeights: " + owners.get(i) + " needs shape [" + p.rows() + "][" + p.cols()
                        + "]; the model is unchanged.");
            }
        }
        for (int i = 0; i < all.size(); i++) {
            all.get(i).value().upload(weights.get(i));
        }
    }

    // ------------------------------------------------------------------ files

    /**
     * Saves architecture, weights, compile settings and optimizer state to one safetensors file
     * (written to a temporary name, then renamed, so a crash never leaves a half-written file). A name
     * ending in {@code .keras} writes a Keras 3 archive and {@code .h5} a Keras 2 HDF5 file instead
     * (both need the lamina-keras module on the class path).
     */
    public void save(java.nio.file.Path file) {
        save(file, true);
    }

    public void save(java.nio.file.Path file, boolean includeOptimizer) {
        use.run("save", () -> {
            requireBuilt();
            // a .keras or .h5 name writes a Keras file through the lamina-keras module
            dev.lamina.io.ModelFormat format = dev.lamina.io.ModelFormats.forWriting(file);
            if (format != null) {
                format.write(this, file, includeOptimizer);
            } else {
                ModelFile.save(this, file, true, includeOptimizer);
            }
        });
    }

    /** Saves the weights alone, in safetensors format. */
    public void saveWeights(java.nio.file.Path file) {
        use.run("saveWeights", () -> {
            requireBuilt();
            ModelFile.save(this, file, false, false);
        });
    }

    /**
     * Loads weights saved by {@link #save} or {@link #saveWeights}. The whole file is checked against
     * this model first: on any mismatch the model is unchanged and the error names the tensor.
     */
    public void loadWeights(java.nio.file.Path file) {
        use.run("loadWeights", () -> {
            requireBuilt();
            ModelFile.loadWeights(this, file);
        });
    }

    /**
     * A model saved by {@link #save}, built on the current backend, compiled if it was. Reads Lamina's
     * safetensors file and, with the lamina-keras module on the class path, Keras 3 {@code .keras} and
     * Keras 2 / tf.keras {@code .h5} files (the format is found from the file's content).
     */
    public static Sequential load(java.nio.file.Path file) {
        dev.lamina.io.ModelFormat format = dev.lamina.io.ModelFormats.forReading(file);
        return format != null ? format.read(file) : ModelFile.load(file, null);
    }

    /** A model saved by {@link #save}, built on the given backend instance rather than {@link Backends#current()}. */
    public static Sequential load(java.nio.file.Path file, Backend on) {
        return ModelFile.load(file, on);
    }

    // ------------------------------------------------------------------ summary

    /** A table of layers, output shapes and parameter counts, as Keras' {@code model.summary()} prints. */
    public String summary() {
        return ModelSummary.of(this);
    }

    // ------------------------------------------------------------------ plumbing

    private void ensureBuilt(float[][] x) {
        int width = Matrices.widthOf("x", x);
        if (!isBuilt() && declaredInputWidth > 0) {
            build(declaredInputWidth);
        }
        if (!isBuilt()) {
            build(width);
        } else if (width != inputWidth) {
            throw new LaminaException("x has " + width + " columns, but the model was built for " + inputWidth
                    + " inputs (first layer " + layers.get(0).describe() + "). Give data with " + inputWidth
                    + " columns, or create a new model for this data.");
        }
    }

    private void checkRows(String xName, float[][] x, String yName, float[][] y) {
        if (x == null || y == null) {
            throw new LaminaException(xName + " and " + yName + " must not be null.");
        }
        if (x.length != y.length) {
            throw new LaminaException(xName + " has " + x.length + " rows but " + yName + " has " + y.length
                    + "; give one target row per sample.");
        }
        if (x.length == 0) {
            throw new LaminaException(xName + " and " + yName + " have no rows: give at least one sample.");
        }
    }

    private DeviceData upload(String xName, float[][] x, String yName, float[][] y) {
        float[] flatX = Matrices.flatten(xName, x, inputWidth);
        int outputs = outputWidth();
        int yCols = loss.targetWidth(outputs);
        int given = Matrices.widthOf(yName, y);
        if (given != yCols) {
            String hint = loss.kind().sparse()
                    ? " " + loss.name() + " takes one column of class indices 0.." + (outputs - 1) + "."
                    : " The last layer " + layers.get(layers.size() - 1).describe() + " has " + outputs + " outputs.";
            throw new LaminaException(yName + " has " + given + " columns, but " + yCols + " are expected." + hint);
        }
        float[] flatY = Matrices.flatten(yName, y, yCols);
        if (loss.kind().sparse()) {
            for (int r = 0; r < flatY.length; r++) {
                float label = flatY[r];
                if (label != Math.rint(label) || label < 0 || label >= outputs) {
                    throw new LaminaException(yName + " row " + r + " has label " + label + ", but " + loss.name()
                            + " needs an integer class index in 0.." + (outputs - 1) + " (the last layer's width).");
                }
            }
        }
        return new DeviceData(backend, flatX, inputWidth, flatY, yCols);
    }

    private void ensureCapacity(int rows) {
        for (Layer layer : layers) {
            layer.ensureCapacity(rows);
        }
        if (rows > capacityRows) {
            releaseBuffers();
            int outputs = outputWidth();
            inputBuffer = backend.allocate((long) rows * inputWidth);
            targetBuffer = backend.allocate((long) rows * outputs);
            gradientBuffer = backend.allocate((long) rows * outputs);
            capacityRows = rows;
        }
    }

    private void releaseBuffers() {
        // each on its own: after running out of memory half-way, some may be allocated and some not
        for (Storage s : new Storage[] {inputBuffer, targetBuffer, gradientBuffer}) {
            if (s != null) {
                backend.release(s);
            }
        }
        inputBuffer = targetBuffer = gradientBuffer = null;
        capacityRows = 0;
    }

    private void requireCompiled(String what) {
        if (loss == null || optimizer == null) {
            throw new LaminaException("The model must be compiled before " + what + ": call compile(optimizer, loss), "
                    + "e.g. model.compile(\"adam\", \"mse\").");
        }
    }

    private void requireBuilt() {
        requireOpen();
        if (!isBuilt()) {
            throw new LaminaException("The model is not built yet: call build(inputWidth), or fit or predict, first.");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new LaminaException("This model was closed and its memory released; create or load a new model.");
        }
    }

    /** Releases the model's parameters, optimizer state and work buffers on the backend. */
    @Override
    public void close() {
        use.run("close", () -> closeAlone());
    }

    private void closeAlone() {
        if (closed) {
            return;
        }
        if (isBuilt()) {
            releaseBuffers();
            if (optimizer != null) {
                optimizer.release(backend);
            }
            closeGuard();
            for (EpochSlots slots : new EpochSlots[] {trainSlots, evaluationSlots}) {
                if (slots != null) {
                    slots.close();
                }
            }
            trainSlots = evaluationSlots = null;
            scratch.close();
        }
        layers.forEach(Layer::close);
        closed = true;
    }
}
