package dev.lamina.spark;

import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Trains a compiled Lamina {@link Sequential} on a DataFrame with synchronous data parallelism:
 * the rows are converted once into float blocks, dealt to {@code numWorkers} shards and cached on
 * the executors; each round broadcasts the weights and optimizer state, every shard runs
 * {@code syncEvery} steps on its share of the global batch, and the driver averages the results.
 *
 * <pre>{@code
 * Sequential net = new Sequential(new Dense(128, "relu"), new Dense(10, "softmax"));
 * net.compile("adam", "sparse_categorical_crossentropy", "accuracy");
 * LaminaModel model = new LaminaEstimator(net).setEpochs(20).setBatchSize(128).setNumWorkers(4).fit(df);
 * model.transform(test).select("prediction", "probability").show();
 * }</pre>
 *
 * <p>The given model is not changed: its architecture, compile settings and (if built) weights are the
 * starting point; the trained network is {@link LaminaModel#sequential()}.
 */
public class LaminaEstimator extends Estimator<LaminaModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    /** The starting model as Lamina's model file; the Sequential itself stays on the driver. */
    private transient Sequential template;

    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam syncEvery;
    private final IntParam numWorkers;
    private final DoubleParam validationFraction;
    private final LongParam seed;
    private final BooleanParam shuffle;
    private final Param<String> backend;

    public LaminaEstimator(Sequential compiledModel) {
        this(Identifiable$.MODULE$.randomUID("lamina"), compiledModel);
    }

    public LaminaEstimator(String uid, Sequential compiledModel) {
        this.uid = uid;
        // Spark reads the parent uid when a Param is made: make them after the uid is set
        this.probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name (classifiers), "
                + "empty for none");
        this.featuresCol = new Param<>(this, "featuresCol", "features: an ML Vector or an array of numbers");
        this.labelCol = new Param<>(this, "labelCol", "label: a number (a class index for classifiers), "
                + "or a Vector or array of numbers for several targets");
        this.predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        this.numWorkers = new IntParam(this, "numWorkers", "shards of the data, one task each per round (>= 1), "
                + "0 for Spark's default parallelism");
        this.epochs = new IntParam(this, "epochs", "passes over the training rows (>= 0)");
        this.batchSize = new IntParam(this, "batchSize", "the global batch: rows per step over all workers together "
                + "(>= numWorkers)");
        this.syncEvery = new IntParam(this, "syncEvery", "local steps each worker runs between averagings (>= 1)");
        this.validationFraction = new DoubleParam(this, "validationFraction", "fraction of rows held out and "
                + "evaluated at each epoch's end, in [0, 1)");
        this.seed = new LongParam(this, "seed", "seeds the shuffling, the validation rows, the initial weights of "
                + "an unbuilt model and the dropout masks");
        this.shuffle = new BooleanParam(this, "shuffle", "shuffle each shard's rows every epoch");
        this.backend = new Param<>(this, "backend", "Lamina backend on the executors: auto, cpu, cuda, reference");
        if (compiledModel == null) {
            throw new LaminaException("LaminaEstimator needs a model: new LaminaEstimator(sequential).");
        }
        if (compiledModel.optimizer() == null || compiledModel.loss() == null) {
            throw new LaminaException("Compile the model before giving it to LaminaEstimator, e.g. "
                    + "model.compile(\"adam\", \"sparse_categorical_crossentropy\", \"accuracy\").");
        }
        this.template = compiledModel;
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(epochs, 10);
        setDefault(batchSize, 32);
        setDefault(syncEvery, 1);
        setDefault(numWorkers, 0);
        setDefault(validationFraction, 0.0);
        setDefault(seed, 42L);
        setDefault(shuffle, true);
        setDefault(backend, Backends.AUTO);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ------------------------------------------------------------------ params (Spark finds them by these methods)

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam syncEvery() {
        return syncEvery;
    }

    public IntParam numWorkers() {
        return numWorkers;
    }

    public DoubleParam validationFraction() {
        return validationFraction;
    }

    public LongParam seed() {
        return seed;
    }

    public BooleanParam shuffle() {
        return shuffle;
    }

    public Param<String> backend() {
        return backend;
    }

    public LaminaEstimator setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public LaminaEstimator setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public LaminaEstimator setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public LaminaEstimator setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public LaminaEstimator setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    public LaminaEstimator setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public LaminaEstimator setSyncEvery(int value) {
        set(syncEvery, value);
        return this;
    }

    public LaminaEstimator setNumWorkers(int value) {
        set(numWorkers, value);
        return this;
    }

    public LaminaEstimator setValidationFraction(double value) {
        set(validationFraction, value);
        return this;
    }

    public LaminaEstimator setSeed(long value) {
        set(seed, value);
        return this;
    }

    public LaminaEstimator setShuffle(boolean value) {
        set(shuffle, value);
        return this;
    }

    public LaminaEstimator setBackend(String value) {
        set(backend, value);
        return this;
    }

    public String getFeaturesCol() {
        return valueOf(featuresCol);
    }

    public String getLabelCol() {
        return valueOf(labelCol);
    }

    public int getEpochs() {
        return (Integer) valueOf(epochs);
    }

    public int getBatchSize() {
        return (Integer) valueOf(batchSize);
    }

    public int getSyncEvery() {
        return (Integer) valueOf(syncEvery);
    }

    public int getNumWorkers() {
        return (Integer) valueOf(numWorkers);
    }

    public double getValidationFraction() {
        return (Double) valueOf(validationFraction);
    }

    public long getSeed() {
        return (Long) valueOf(seed);
    }

    public boolean getShuffle() {
        return (Boolean) valueOf(shuffle);
    }

    public String getBackend() {
        return valueOf(backend);
    }

    @SuppressWarnings("unchecked")
    private <T> T valueOf(Param<?> param) {
        return (T) getOrDefault((Param<Object>) param);
    }

    // ------------------------------------------------------------------ fit

    @Override
    public LaminaModel fit(Dataset<?> dataset) {
        return SparkErrors.rethrowingOurs(() -> fitChecked(dataset));
    }

    private LaminaModel fitChecked(Dataset<?> dataset) {
        if (dataset == null) {
            throw new LaminaException("fit needs a DataFrame, got null.");
        }
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        int workers = getNumWorkers() == 0 ? spark.defaultParallelism() : getNumWorkers();
        checkSettings(workers);
        StructType schema = dataset.schema();
        ColumnReader features = ColumnReader.features(schema, getFeaturesCol());
        ColumnReader label = ColumnReader.label(schema, getLabelCol());
        checkBackendName(getBackend());
        ShardPlan plan = new ShardPlan(workers, getBatchSize(), getSeed());

        int width = TrainingData.inputWidth(dataset, features);
        try (Sequential start = startingModel(width)) {
            int outputs = start.outputWidth();
            TrainingData.LabelRule rule = new TrainingData.LabelRule(start.loss().targetWidth(outputs),
                    start.loss().kind().sparse() ? outputs : 0);
            try (TrainingData data = TrainingData.build(dataset, features, label, start.inputWidth(), rule, plan,
                    getValidationFraction())) {
                History history = new DistributedTrainer(spark, start, getBackend(), plan, getSyncEvery(), getShuffle())
                        .train(data, getEpochs());
                LaminaModel model = new LaminaModel(uid, ModelBytes.of(start), OutputKind.of(start), history.asMap());
                copyValues(model, extractParamMap());
                return model.setParent(this);
            }
        }
    }

    /** The starting point on the driver, a copy of the user's model (built for the data's width if it was not). */
    private Sequential startingModel(int width) {
        if (!template.isBuilt()) {
            template.setSeed(getSeed());
            template.build(width, Backends.get("cpu"));
        }
        return ModelBytes.load(ModelBytes.of(template), Backends.get("cpu"));
    }

    /** An unknown name fails here, with the list; whether the backend is usable is up to each executor (its GPU, say). */
    private static void checkBackendName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!key.equals(Backends.AUTO) && !Backends.found().containsKey(key)) {
            throw new LaminaException("Unknown backend '" + name + "'; found here: auto, " + String.join(", ", Backends.found().keySet())
                    + ". Put the backend's jar (e.g. lamina-cuda) on the executors' class path to use it.");
        }
    }

    private void checkSettings(int workers) {
        if (getEpochs() < 0) {
            throw new LaminaException("epochs must not be negative, got " + getEpochs() + ".");
        }
        if (workers < 1) {
            throw new LaminaException("numWorkers must be at least 1 (or 0 for Spark's default parallelism), got " + workers + ".");
        }
        if (getBatchSize() < workers) {
            throw new LaminaException("batchSize " + getBatchSize() + " is the global batch, shared by " + workers + " workers; "
                    + "it must be at least numWorkers so that every worker gets a row of each batch.");
        }
        if (getSyncEvery() < 1) {
            throw new LaminaException("syncEvery must be at least 1 step, got " + getSyncEvery() + ".");
        }
        double fraction = getValidationFraction();
        if (!(fraction >= 0 && fraction < 1)) {
            throw new LaminaException("validationFraction must be in [0, 1), got " + fraction + ".");
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ColumnReader.features(schema, getFeaturesCol());
        return LaminaModel.outputSchema(schema, valueOf(predictionCol), valueOf(probabilityCol), OutputKind.of(template));
    }

    /** The starting model (a copy), for saving; it must be built, as Lamina's model file holds weights. */
    Sequential template() {
        return template;
    }

    /**
     * Saves the params and the starting model (so an unfitted {@code Pipeline} with Lamina in it saves
     * too). The model must be built: {@code model.build(inputWidth)} before saving.
     */
    @Override
    public MLWriter write() {
        return new LaminaModelIO.EstimatorWriter(this);
    }

    public static MLReader<LaminaEstimator> read() {
        return new LaminaModelIO.EstimatorReader();
    }

    public static LaminaEstimator load(String path) {
        return read().load(path);
    }

    @Override
    public LaminaEstimator copy(ParamMap extra) {
        LaminaEstimator copy = new LaminaEstimator(uid, template);
        copyValues(copy, extra);
        return copy;
    }
}
