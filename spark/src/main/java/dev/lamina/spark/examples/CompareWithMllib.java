package dev.lamina.spark.examples;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Dense;
import dev.lamina.spark.LaminaEstimator;
import dev.lamina.spark.LaminaModel;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The figures of docs/SPARK.md, in one run on a local Spark: Lamina on Spark against MLlib's
 * {@code MultilayerPerceptronClassifier} on the digits data (same hidden layer, accuracy and fit
 * time), Lamina on one machine for reference, and {@code transform} rows/s against one process's
 * {@code predict}. Arguments: {@code [hidden units] [epochs] [rows to score]}.
 */
public final class CompareWithMllib {
    private CompareWithMllib() {
    }

    public static void main(String[] args) {
        int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long scoreRows = args.length > 2 ? Long.parseLong(args[2]) : 200_000;
        SparkConf conf = new SparkConf().setAppName("lamina-vs-mllib");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]").set("spark.ui.enabled", "false");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            run(spark, hidden, epochs, scoreRows);
        } finally {
            spark.stop();
        }
    }

    private static void run(SparkSession spark, int hidden, int epochs, long scoreRows) {
        int workers = spark.sparkContext().defaultParallelism();
        Dataset<Row> digits = spark.read().option("header", "true").option("inferSchema", "true").csv(DigitsOnSpark.findDigits());
        String[] pixels = Arrays.stream(digits.columns()).filter(c -> !c.equals("digit")).toArray(String[]::new);
        Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, 42);
        PipelineModel scaling = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(pixels).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true)}).fit(split[0]);
        Dataset<Row> train = scaling.transform(split[0]).select("features", "digit").cache();
        Dataset<Row> test = scaling.transform(split[1]).select("features", "digit").cache();
        System.out.printf("digits: %d training rows, %d test rows; Spark %s, master %s (%d workers), %d cores, Java %s%n",
                train.count(), test.count(), spark.version(), spark.sparkContext().master(), workers,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // Lamina on Spark
        Sequential network = network(hidden);
        long start = System.nanoTime();
        LaminaModel lamina = new LaminaEstimator(network).setLabelCol("digit").setNumWorkers(workers).setBatchSize(32 * workers)
                .setSyncEvery(4).setEpochs(epochs).setBackend("cpu").fit(train);
        double laminaSeconds = seconds(start);
        double laminaAccuracy = accuracy(lamina.transform(test));

        // MLlib's multilayer perceptron, same layers (its hidden units are sigmoids, its solver L-BFGS)
        start = System.nanoTime();
        MultilayerPerceptronClassificationModel mlp = new MultilayerPerceptronClassifier().setLayers(new int[] {64, hidden, 10})
                .setLabelCol("digit").setMaxIter(200).setSeed(42).fit(train);
        double mlpSeconds = seconds(start);
        double mlpAccuracy = accuracy(mlp.transform(test));

        // Lamina on one machine, no Spark: the same network and epochs, batch 32
        float[][][] trainXy = arrays(train);
        float[][][] testXy = arrays(test);
        double singleSeconds;
        double singleAccuracy;
        try (Sequential single = network(hidden)) {
            single.build(64, Backends.get("cpu"));
            start = System.nanoTime();
            single.fit(trainXy[0], trainXy[1], new FitOptions().epochs(epochs).batchSize(32).verbose(0));
            singleSeconds = seconds(start);
            singleAccuracy = single.evaluate(testXy[0], testXy[1]).get("accuracy");
        }
        System.out.printf("%n| model | accuracy | fit time |%n|---|---|---|%n");
        System.out.printf("| Lamina on Spark, %d workers, 64-%d-10 relu, adam, %d epochs, global batch %d, syncEvery 4 | %.4f | %.1f s |%n",
                workers, hidden, epochs, 32 * workers, laminaAccuracy, laminaSeconds);
        System.out.printf("| MLlib MultilayerPerceptronClassifier 64-%d-10 (sigmoid, L-BFGS, maxIter 200) | %.4f | %.1f s |%n", hidden,
                mlpAccuracy, mlpSeconds);
        System.out.printf("| Lamina, one process, no Spark, %d epochs, batch 32 | %.4f | %.1f s |%n", epochs, singleAccuracy, singleSeconds);

        // scoring: the test rows repeated to scoreRows rows
        long copies = Math.max(1, scoreRows / testXy[0].length);
        // two partitions per worker, so that every task thread scores
        Dataset<Row> big = test.crossJoin(spark.range(copies)).select("features", "digit").repartition(2 * workers).cache();
        long rows = big.count();
        double laminaRate = rows / best(() -> lamina.transform(big).write().format("noop").mode("overwrite").save());
        double mlpRate = rows / best(() -> mlp.transform(big).write().format("noop").mode("overwrite").save());
        float[][] x = new float[(int) rows][];
        for (int i = 0; i < x.length; i++) {
            x[i] = testXy[0][i % testXy[0].length];
        }
        double singleRate;
        try (Sequential net = lamina.sequential()) {
            singleRate = rows / best(() -> net.predict(x));
        }
        System.out.printf("%n| scoring %d rows | rows/s |%n|---|---|%n", rows);
        System.out.printf("| Lamina transform on Spark (%d partitions) | %,.0f |%n", big.rdd().getNumPartitions(), laminaRate);
        System.out.printf("| MLlib MLP transform on Spark | %,.0f |%n", mlpRate);
        System.out.printf("| Lamina predict, one process (float[][] in memory) | %,.0f |%n", singleRate);
    }

    private static Sequential network(int hidden) {
        Sequential net = new Sequential(new Dense(hidden, "relu"), new Dense(10, "softmax"));
        net.setSeed(42);
        net.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        return net;
    }

    private static double accuracy(Dataset<Row> predictions) {
        return (double) predictions.filter("prediction = digit").count() / predictions.count();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The best of three timed runs, in seconds (the first warms the JIT). */
    private static double best(Runnable work) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, seconds(start));
        }
        return best;
    }

    private static float[][][] arrays(Dataset<Row> df) {
        List<Row> rows = df.collectAsList();
        float[][] x = new float[rows.size()][];
        float[][] y = new float[rows.size()][1];
        for (int i = 0; i < x.length; i++) {
            Vector v = (Vector) rows.get(i).get(0);
            x[i] = new float[v.size()];
            for (int c = 0; c < x[i].length; c++) {
                x[i][c] = (float) v.apply(c);
            }
            y[i][0] = rows.get(i).getInt(1);
        }
        return new float[][][] {x, y};
    }
}
