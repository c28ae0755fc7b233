package dev.lamina.spark.examples;

import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.spark.LaminaEstimator;
import dev.lamina.spark.LaminaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains a network on the digits data on Spark and prints the accuracy on held-out rows. Runs on a
 * local Spark when started plainly ({@code spark/run-example.sh}), on a cluster under spark-submit
 * (docs/SPARK.md has the command).
 *
 * <p>Arguments: {@code [DATA.csv] [epochs]}; the data defaults to data/digits_8x8.csv found from the
 * working directory.
 */
public final class DigitsOnSpark {
    private DigitsOnSpark() {
    }

    public static void main(String[] args) {
        String data = args.length > 0 ? args[0] : findDigits();
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        SparkConf conf = new SparkConf().setAppName("lamina-digits");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]").set("spark.ui.enabled", "false");     // started plainly: a local Spark
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row> digits = spark.read().option("header", "true").option("inferSchema", "true").csv(data);
            Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, 42);
            Dataset<Row> train = split[0].cache();
            Dataset<Row> test = split[1].cache();
            String[] pixels = Arrays.stream(digits.columns()).filter(c -> !c.equals("digit")).toArray(String[]::new);

            Sequential network = new Sequential(new Dense(128, "relu"), new Dense(10, "softmax"));
            network.compile("adam", "sparse_categorical_crossentropy", "accuracy");
            int workers = spark.sparkContext().defaultParallelism();
            LaminaEstimator lamina = new LaminaEstimator(network)
                    .setLabelCol("digit")
                    .setNumWorkers(workers)
                    .setBatchSize(32 * workers)         // the global batch: 32 rows per worker and step
                    .setSyncEvery(4)
                    .setEpochs(epochs)
                    .setValidationFraction(0.1);
            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(pixels).setOutputCol("raw"),
                new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
                lamina});

            long start = System.nanoTime();
            PipelineModel model = pipeline.fit(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            History history = ((LaminaModel) model.stages()[2]).history();
            for (int e = 0; e < history.epochs(); e++) {
                System.out.printf("Epoch %d/%d - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f%n", e + 1,
                        history.epochs(), history.get("loss")[e], history.get("accuracy")[e], history.get("val_loss")[e],
                        history.get("val_accuracy")[e]);
            }
            Dataset<Row> predictions = model.transform(test);
            double accuracy = (double) predictions.filter("prediction = digit").count() / predictions.count();
            System.out.printf("Trained on %d workers (%s) in %.1f s; test accuracy: %.4f (%d rows)%n", workers,
                    spark.sparkContext().master(), seconds, accuracy, test.count());
        } finally {
            spark.stop();
        }
    }

    static String findDigits() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("data/digits_8x8.csv");
            if (Files.exists(file)) {
                return file.toString();
            }
        }
        throw new IllegalArgumentException("data/digits_8x8.csv not found from " + Path.of("").toAbsolutePath()
                + "; give the data file as the first argument.");
    }
}
