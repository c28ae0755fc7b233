package dev.lamina.spark;

import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained Lamina network as a Spark ML {@code Model}: {@code transform} adds the prediction column
 * (and, for classifiers, a probability vector column, as Spark's classifiers do). It saves and loads
 * with Spark ML's persistence, alone or inside a {@code PipelineModel}; the network itself is kept as
 * Lamina's model file.
 */
public class LaminaModel extends Model<LaminaModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final byte[] modelBytes;
    private final OutputKind kind;
    private final Map<String, double[]> history;

    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> backend;

    LaminaModel(String uid, byte[] modelBytes, OutputKind kind, Map<String, double[]> history) {
        this.uid = uid;
        // Spark reads the parent uid when a Param is made: make them after the uid is set
        this.probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name (classifiers), "
                + "empty for none");
        this.featuresCol = new Param<>(this, "featuresCol", "features: an ML Vector or an array of numbers");
        this.predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        this.backend = new Param<>(this, "backend", "Lamina backend on the executors: auto, cpu, cuda, reference");
        this.modelBytes = modelBytes;
        this.kind = kind;
        this.history = new LinkedHashMap<>(history);
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(backend, Backends.AUTO);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> backend() {
        return backend;
    }

    public LaminaModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public LaminaModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public LaminaModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public LaminaModel setBackend(String value) {
        set(backend, value);
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getBackend() {
        return getOrDefault(backend);
    }

    /** The trained network, as a new {@link Sequential} on the current backend (the caller closes it). */
    public Sequential sequential() {
        return ModelBytes.load(modelBytes, Backends.current());
    }

    /** The fit's loss, metrics and validation values per epoch, as {@code Sequential.fit} returns them. */
    public History history() {
        History h = new History();
        int epochs = history.isEmpty() ? 0 : history.values().iterator().next().length;
        for (int e = 0; e < epochs; e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> entry : history.entrySet()) {
                logs.put(entry.getKey(), entry.getValue()[e]);
            }
            h.append(logs);
        }
        return h;
    }

    /** True when the network is a classifier (transform then writes class indices and probabilities). */
    public boolean isClassifier() {
        return kind.classifier();
    }

    byte[] modelBytes() {
        return modelBytes;
    }

    OutputKind kind() {
        return kind;
    }

    Map<String, double[]> historyMap() {
        return history;
    }

    // ------------------------------------------------------------------ transform

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType out = transformSchema(schema);
        ColumnReader features = ColumnReader.features(schema, getFeaturesCol());
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = spark.broadcast(modelBytes);
        String key = "transform/" + uid + "/" + Arrays.hashCode(modelBytes);
        Predictor predictor = new Predictor(bytes, key, getBackend(), features, schema.fieldIndex(getFeaturesCol()), kind,
                withProbability());
        return dataset.toDF().mapPartitions(predictor, Encoders.row(out));
    }

    private boolean withProbability() {
        return kind.classifier() && !getProbabilityCol().isEmpty();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ColumnReader.features(schema, getFeaturesCol());
        return outputSchema(schema, getPredictionCol(), getProbabilityCol(), kind);
    }

    static StructType outputSchema(StructType schema, String predictionCol, String probabilityCol, OutputKind kind) {
        requireNew(schema, predictionCol, "predictionCol");
        StructType out = schema.add(predictionCol, kind.vectorPrediction() ? SQLDataTypes.VectorType() : DataTypes.DoubleType, false);
        if (kind.classifier() && !probabilityCol.isEmpty()) {
            requireNew(schema, probabilityCol, "probabilityCol");
            out = out.add(probabilityCol, SQLDataTypes.VectorType(), false);
        }
        return out;
    }

    private static void requireNew(StructType schema, String column, String param) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new LaminaException("The DataFrame already has a column '" + column + "'; set " + param
                    + " to another name, or drop that column first.");
        }
    }

    @Override
    public LaminaModel copy(ParamMap extra) {
        LaminaModel copy = new LaminaModel(uid, modelBytes, kind, history);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    // ------------------------------------------------------------------ persistence

    @Override
    public MLWriter write() {
        return new LaminaModelIO.Writer(this);
    }

    /** Spark ML's reader (a PipelineModel finds it by this static method when it loads). */
    public static MLReader<LaminaModel> read() {
        return new LaminaModelIO.Reader();
    }

    public static LaminaModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "LaminaModel: uid=" + uid + ", " + kind.name() + (kind.width > 0 ? ", " + kind.width + " outputs" : "");
    }
}
