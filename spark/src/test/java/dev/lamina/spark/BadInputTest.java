package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Each kind of bad input: a clear error naming what is wrong, before any training round. */
class BadInputTest {

    private static LaminaEstimator estimator(String loss) {
        Sequential net = new Sequential(new Dense(4, "relu"), new Dense(loss.equals("mse") ? 1 : 3,
                loss.equals("mse") ? "linear" : "softmax"));
        net.compile("sgd", loss);
        return new LaminaEstimator(net).setNumWorkers(2).setBatchSize(4).setEpochs(1).setBackend("cpu");
    }

    private static Dataset<Row> frame(StructType schema, Object[]... rows) {
        List<Row> list = new ArrayList<>();
        for (Object[] r : rows) {
            list.add(RowFactory.create(r));
        }
        return SparkTests.spark().createDataFrame(list, schema);
    }

    private static final StructType VECTORS = new StructType().add("features", SQLDataTypes.VectorType()).add("label",
            DataTypes.DoubleType);
    private static final StructType ARRAYS = new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, true)).add("label", DataTypes.IntegerType);

    /** Fits, expects our error, checks that no round ran, returns the message. */
    private static String failure(LaminaEstimator estimator, Dataset<Row> df) {
        long rounds = DistributedTrainer.ROUNDS_STARTED.get();
        LaminaException e = assertThrows(LaminaException.class, () -> estimator.fit(df));
        assertEquals(rounds, DistributedTrainer.ROUNDS_STARTED.get(), "no round may start on bad input: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    @Test
    void aMissingFeaturesColumnIsNamedWithTheColumnsThereAre() {
        Dataset<Row> df = frame(VECTORS, new Object[] {Vectors.dense(1, 2), 0.0});
        String m = failure(estimator("mse").setFeaturesCol("pixels"), df);
        assertContains(m, "'pixels' is not in the DataFrame", "features, label", "VectorAssembler");
    }

    @Test
    void aNonNumericFeaturesColumnIsRefused() {
        StructType schema = new StructType().add("features", DataTypes.StringType).add("label", DataTypes.DoubleType);
        String m = failure(estimator("mse"), frame(schema, new Object[] {"1,2", 0.0}));
        assertContains(m, "'features' has type string", "ML Vector or an array of numbers");
        StructType strings = new StructType().add("features", DataTypes.createArrayType(DataTypes.StringType))
                .add("label", DataTypes.DoubleType);
        assertContains(failure(estimator("mse"), frame(strings, new Object[] {List.of("1"), 0.0})), "array<string>");
    }

    @Test
    void aMissingOrNonNumericLabelIsRefused() {
        Dataset<Row> df = frame(VECTORS, new Object[] {Vectors.dense(1, 2), 0.0});
        assertContains(failure(estimator("mse").setLabelCol("y"), df), "label column 'y' is not in the DataFrame");
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.StringType);
        assertContains(failure(estimator("mse"), frame(schema, new Object[] {Vectors.dense(1, 2), "cat"})), "type string");
    }

    @Test
    void vectorsOfDifferentLengthsNameTheRow() {
        Object[][] rows = new Object[10][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new Object[] {i == 6 ? Vectors.dense(1, 2, 3) : Vectors.dense(1, 2), 0.0};
        }
        assertContains(failure(estimator("mse"), frame(VECTORS, rows)), "Row 6 ", "has 3 values, but row 0 has 2");
    }

    @Test
    void nullsNameTheRow() {
        Object[][] rows = {{Vectors.dense(1, 2), 0.0}, {null, 1.0}, {Vectors.dense(1, 2), 0.0}};
        assertContains(failure(estimator("mse"), frame(VECTORS, rows)), "Row 1 ", "null features value");
        Object[][] withNullLabel = {{Vectors.dense(1, 2), 0.0}, {Vectors.dense(1, 2), 0.0}, {Vectors.dense(1, 2), null}};
        assertContains(failure(estimator("mse"), frame(VECTORS, withNullLabel)), "Row 2 ", "null label value");
        Object[][] nullInArray = {{Arrays.asList(1f, 2f), 0}, {Arrays.asList(1f, null), 1}};
        assertContains(failure(estimator("sparse_categorical_crossentropy"), frame(ARRAYS, nullInArray)),
                "Row 1 ", "null at position 1 of its features array");
    }

    @Test
    void anEmptyDataFrameIsRefused() {
        Dataset<Row> empty = SparkTests.spark().createDataFrame(new ArrayList<Row>(), VECTORS);
        assertContains(failure(estimator("mse"), empty), "no rows");
    }

    @Test
    void aClassIndexOutsideTheOutputsNamesTheRow() {
        Object[][] rows = {{Arrays.asList(1f, 2f), 0}, {Arrays.asList(1f, 2f), 2}, {Arrays.asList(3f, 2f), 3}};
        assertContains(failure(estimator("sparse_categorical_crossentropy"), frame(ARRAYS, rows)),
                "Row 2 ", "label 3.0", "class index 0..2");
    }

    @Test
    void aBadRowInTransformIsNamedByPartitionAndPosition() {
        Object[][] good = {{Vectors.dense(1, 2), 0.0}, {Vectors.dense(2, 1), 1.0}, {Vectors.dense(0, 1), 0.5}};
        LaminaModel model = estimator("mse").fit(frame(VECTORS, good));
        Object[][] bad = {{Vectors.dense(1, 2), 0.0}, {Vectors.dense(1, 2), 0.0}, {null, 0.0}};
        Dataset<Row> df = frame(VECTORS, bad).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> model.transform(df).collectAsList());
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + "\n";
        }
        assertContains(messages, "Row 2 of partition 0 (counting from 0) has a null features value");
        // the schema is checked when transform is called, before any job
        assertContains(assertThrows(LaminaException.class, () -> model.setFeaturesCol("pixels").transform(df)).getMessage(),
                "'pixels' is not in the DataFrame");
        model.setFeaturesCol("features");
        assertContains(assertThrows(LaminaException.class, () -> model.transform(df.withColumnRenamed("label", "prediction")))
                .getMessage(), "already has a column 'prediction'");
    }

    @Test
    void impossibleSettingsAreRefused() {
        Dataset<Row> df = frame(VECTORS, new Object[] {Vectors.dense(1, 2), 0.0});
        assertContains(failure(estimator("mse").setBatchSize(1), df), "batchSize 1 is the global batch, shared by 2 workers");
        assertContains(failure(estimator("mse").setSyncEvery(0), df), "syncEvery must be at least 1");
        assertContains(failure(estimator("mse").setValidationFraction(1.0), df), "validationFraction must be in [0, 1)");
        assertContains(failure(estimator("mse").setBackend("tpu"), df), "Unknown backend 'tpu'", "cpu");
        assertThrows(LaminaException.class, () -> new LaminaEstimator(new Sequential(new Dense(1))));
    }
}
