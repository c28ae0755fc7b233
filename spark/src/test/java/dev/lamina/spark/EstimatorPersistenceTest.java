package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Dense;
import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unfitted Pipeline with Lamina in it saves and loads, and the loaded one trains to the same weights. */
class EstimatorPersistenceTest {

    @Test
    void anUnfittedPipelineSavesAndLoads(@TempDir Path dir) throws Exception {
        Sequential net = new Sequential(new Dense(8, "relu"), new Dense(1));
        net.setSeed(21);
        net.compile("adam", "mse", "mae");
        net.build(8, Backends.get("cpu"));
        LaminaEstimator estimator = new LaminaEstimator(net).setNumWorkers(2).setBatchSize(16).setSyncEvery(3).setEpochs(2)
                .setSeed(9).setBackend("cpu");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {estimator});
        String path = dir.resolve("pipeline").toString();
        pipeline.write().overwrite().save(path);

        Pipeline loaded = Pipeline.load(path);
        LaminaEstimator back = (LaminaEstimator) loaded.getStages()[0];
        assertEquals(estimator.uid(), back.uid());
        assertEquals(estimator.extractParamMap().toString(), back.extractParamMap().toString());

        float[][] x = SparkTests.gaussian(64, 8, 10);
        Dataset<Row> df = SparkTests.frame(x, SparkTests.target(x));
        PipelineModel a = pipeline.fit(df);
        PipelineModel b = loaded.fit(df);
        try (Sequential ta = ((LaminaModel) a.stages()[0]).sequential(); Sequential tb = ((LaminaModel) b.stages()[0]).sequential()) {
            ExactnessTest.assertSameWeights(ta.getWeights(), tb.getWeights());
        }
    }

    @Test
    void anEstimatorWithAnUnbuiltModelSaysWhatToDo(@TempDir Path dir) {
        Sequential net = new Sequential(new Dense(1));
        net.compile("sgd", "mse");
        LaminaEstimator estimator = new LaminaEstimator(net);
        LaminaException e = assertThrows(LaminaException.class, () -> estimator.write().save(dir.resolve("e").toString()));
        assertTrue(e.getMessage().contains("model.build(inputWidth)"), e.getMessage());
    }
}
