package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Dense;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digits data through a Spark ML pipeline (VectorAssembler, StandardScaler, Lamina): syncEvery &gt; 1
 * (local steps between averagings) reaches a single machine's accuracy with the same global batch; the fitted pipeline saves and loads and predicts the same.
 */
class DigitsPipelineTest {
    private static final int EPOCHS = 12;
    /** The global batch, 8 rows per worker; the single machine trains with the same batch. */
    private static final int BATCH = 32;
    private static Dataset<Row> train;
    private static Dataset<Row> test;
    private static PipelineModel fitted;

    @BeforeAll
    static void fitOnce() {
        Dataset<Row>[] split = SparkTests.digits().randomSplit(new double[] {0.8, 0.2}, 42);
        train = split[0].cache();
        test = split[1].cache();
        String[] pixels = Arrays.stream(train.columns()).filter(c -> !c.equals("digit")).toArray(String[]::new);
        LaminaEstimator lamina = new LaminaEstimator(network()).setLabelCol("digit").setNumWorkers(4).setBatchSize(BATCH)
                .setSyncEvery(8).setEpochs(EPOCHS).setBackend("cpu");
        fitted = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(pixels).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
            lamina}).fit(train);
    }

    private static Sequential network() {
        Sequential net = new Sequential(new Dense(64, "relu"), new Dense(10, "softmax"));
        net.setSeed(3);
        net.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        return net;
    }

    private static double accuracy(Dataset<Row> predictions) {
        long right = predictions.filter("prediction = digit").count();
        return (double) right / predictions.count();
    }

    @Test
    void syncingEveryEightStepsReachesTheSingleMachineAccuracy() {
        double distributed = accuracy(fitted.transform(test));
        // the same network on one machine, on the same standardised rows
        PipelineModel scaling = new PipelineModel("scaling", Arrays.copyOf(fitted.stages(), 2));
        float[][][] trainXy = arrays(scaling.transform(train));
        float[][][] testXy = arrays(scaling.transform(test));
        double single;
        try (Sequential net = network()) {
            net.build(64, Backends.get("cpu"));
            net.fit(trainXy[0], trainXy[1], new FitOptions().epochs(EPOCHS).batchSize(BATCH).verbose(0));
            single = net.evaluate(testXy[0], testXy[1]).get("accuracy");
        }
        System.out.printf("digits test accuracy: distributed %.4f, single machine %.4f%n", distributed, single);
        assertTrue(single > 0.9, "single machine: " + single);
        assertTrue(distributed >= single - 0.02, "distributed " + distributed + " vs single machine " + single);
        LaminaModel lamina = (LaminaModel) fitted.stages()[2];
        assertEquals(EPOCHS, lamina.history().epochs());
        assertTrue(lamina.history().last("loss") < lamina.history().get("loss")[0], lamina.history().toString());
    }

    @Test
    void thePipelineSavesAndLoadsAndPredictsTheSame(@TempDir Path dir) throws Exception {
        String path = dir.resolve("digits-pipeline").toString();
        fitted.write().overwrite().save(path);
        assertTrue(Files.exists(dir.resolve("digits-pipeline/stages")));
        PipelineModel loaded = PipelineModel.load(path);
        assertEquals(LaminaModel.class, loaded.stages()[2].getClass());
        List<Row> before = fitted.transform(test).select("prediction", "probability").collectAsList();
        List<Row> after = loaded.transform(test).select("prediction", "probability").collectAsList();
        assertEquals(before, after);
        LaminaModel reloaded = (LaminaModel) loaded.stages()[2];
        assertEquals(((LaminaModel) fitted.stages()[2]).history().asMap().keySet(), reloaded.history().asMap().keySet());
    }

    @Test
    void transformAgreesWithTheSequentialItGivesBack() {
        LaminaModel lamina = (LaminaModel) fitted.stages()[2];
        PipelineModel scaling = new PipelineModel("scaling", Arrays.copyOf(fitted.stages(), 2));
        Dataset<Row> scaled = scaling.transform(test);
        List<Row> rows = lamina.transform(scaled).select("features", "prediction", "probability").collectAsList();
        float[][] x = new float[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = toFloat((Vector) rows.get(i).get(0));
        }
        try (Sequential net = lamina.sequential()) {
            float[][] p = net.predict(x);
            for (int i = 0; i < x.length; i++) {
                double[] probability = ((Vector) rows.get(i).get(2)).toArray();
                assertArrayEquals(SparkTests.toDouble(p[i]), probability, 1e-7);
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = p[i][c] > p[i][best] ? c : best;
                }
                assertEquals(best, rows.get(i).getDouble(1));
            }
        }
    }

    private static float[][][] arrays(Dataset<Row> df) {
        List<Row> rows = df.select("features", "digit").collectAsList();
        float[][] x = new float[rows.size()][];
        float[][] y = new float[rows.size()][1];
        for (int i = 0; i < x.length; i++) {
            x[i] = toFloat((Vector) rows.get(i).get(0));
            y[i][0] = rows.get(i).getInt(1);
        }
        return new float[][][] {x, y};
    }

    private static float[] toFloat(Vector v) {
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) v.apply(i);
        }
        return f;
    }
}
