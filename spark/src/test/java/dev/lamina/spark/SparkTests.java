package dev.lamina.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one local Spark session every test of the module shares (starting one costs seconds), and
 * DataFrames made from float arrays. Master {@code local[4,2]}: four task threads, and a failed task
 * is tried a second time (the retry test needs that).
 */
final class SparkTests {
    private static SparkSession session;

    private SparkTests() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[4,2]")
                    .appName("lamina-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** The bundled digits data (64 pixel columns, then "digit"), read by Spark's CSV reader. */
    static Dataset<Row> digits() {
        java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("data/digits_8x8.csv"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("data/digits_8x8.csv not found above " + java.nio.file.Path.of("").toAbsolutePath());
        }
        return spark().read().option("header", "true").option("inferSchema", "true")
                .csv(dir.resolve("data/digits_8x8.csv").toString());
    }

    /** Rows of (features: Vector, label: double) from arrays; labels are y[r][0]. */
    static Dataset<Row> frame(float[][] x, float[][] y) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < x.length; r++) {
            rows.add(RowFactory.create(Vectors.dense(toDouble(x[r])), (double) y[r][0]));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        // three input partitions, in the arrays' order (parallelize keeps it; repartition would not)
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
        return spark().createDataFrame(jsc.parallelize(rows, 3), schema);
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    static float[][] gaussian(int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    /** A smooth target of x, so that training has something to learn. */
    static float[][] target(float[][] x) {
        float[][] y = new float[x.length][1];
        for (int r = 0; r < x.length; r++) {
            double s = 0;
            for (int c = 0; c < x[r].length; c++) {
                s += (c % 2 == 0 ? 1 : -0.5) * x[r][c];
            }
            y[r][0] = (float) Math.tanh(s);
        }
        return y;
    }
}
