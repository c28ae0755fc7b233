package dev.lamina.spark;

import dev.lamina.LaminaException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The rows of one fit, converted once into float blocks and cached on the executors: partitions
 * {@code 0..workers-1} are the training shards, {@code workers..2·workers-1} the validation shards.
 * Building it checks every row, so bad input fails here, before any round.
 */
final class TrainingData implements AutoCloseable {
    final JavaRDD<ShardBlock> blocks;
    final JavaRDD<ShardBlock> train;
    final JavaRDD<ShardBlock> validation;
    final int[] shardRows;
    final long trainRows;
    final long validationRows;
    final int xCols;
    final int yCols;

    private TrainingData(JavaRDD<ShardBlock> blocks, JavaRDD<ShardBlock> train, JavaRDD<ShardBlock> validation, int[] shardRows,
            long trainRows, long validationRows, int xCols, int yCols) {
        this.blocks = blocks;
        this.train = train;
        this.validation = validation;
        this.shardRows = shardRows;
        this.trainRows = trainRows;
        this.validationRows = validationRows;
        this.xCols = xCols;
        this.yCols = yCols;
    }

    /** What a label must be for the model's loss: its width and, for sparse losses, a class index below {@code classes}. */
    static final class LabelRule implements Serializable {
        private static final long serialVersionUID = 1L;
        final int width;
        final int classes;      // 0: any number

        LabelRule(int width, int classes) {
            this.width = width;
            this.classes = classes;
        }

        void check(ColumnReader label, float[] y, long rowNumber) {
            if (y.length != width) {
                throw label.bad(rowNumber, "has " + y.length + " label values, but the model's loss needs " + width);
            }
            if (classes > 0 && (y[0] != Math.rint(y[0]) || y[0] < 0 || y[0] >= classes)) {
                throw label.bad(rowNumber, "has label " + y[0] + ", but the loss needs a class index 0.." + (classes - 1)
                        + " (the last layer's width)");
            }
        }
    }

    /** The width of the first row's features; fails on an empty DataFrame. */
    static int inputWidth(Dataset<?> df, ColumnReader features) {
        List<Row> first = df.toDF().select(features.column).takeAsList(1);
        if (first.isEmpty()) {
            throw new LaminaException("The DataFrame has no rows: give at least one row to fit on.");
        }
        return features.read(first.get(0), 0, 0).length;
    }

    static TrainingData build(Dataset<?> df, ColumnReader features, ColumnReader label, int inputWidth, LabelRule rule,
            ShardPlan plan, double validationFraction) {
        Dataset<Row> selected = df.toDF().select(features.column, label.column);
        List<Row> first = selected.takeAsList(1);
        if (first.isEmpty()) {
            throw new LaminaException("The DataFrame has no rows: give at least one row to fit on.");
        }
        // the first row sets the width every other row must have; its own errors name it as row 0
        int xCols = features.read(first.get(0), 0, 0).length;
        if (inputWidth > 0 && xCols != inputWidth) {
            throw new LaminaException("The features column '" + features.column + "' has " + xCols + " values per row, but the "
                    + "model takes " + inputWidth + " inputs. Give features of width " + inputWidth + ", or a model for " + xCols + ".");
        }
        rule.check(label, label.read(first.get(0), 1, 0), 0);
        int workers = plan.workers;
        JavaPairRDD<Row, Long> numbered = selected.javaRDD().zipWithIndex();
        JavaPairRDD<Integer, LabeledRow> keyed = numbered.mapToPair(pair -> {
            long number = pair._2();
            float[] x = features.read(pair._1(), 0, number);
            if (x.length != xCols) {
                throw features.bad(number, "has " + x.length + " values, but row 0 has " + xCols
                        + "; every row needs the same number of features");
            }
            float[] y = label.read(pair._1(), 1, number);
            rule.check(label, y, number);
            int shard = plan.shardOf(number);
            int partition = plan.isValidation(number, validationFraction) ? workers + shard : shard;
            return new Tuple2<>(partition, new LabeledRow(number, x, y));
        });
        int yCols = rule.width;
        JavaRDD<ShardBlock> blocks = keyed.partitionBy(new ShardPartitioner(2 * workers))
                .mapPartitionsWithIndex((partition, rows) -> List.of(toBlock(partition, rows, xCols, yCols)).iterator(), true);
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            int[] counts = new int[2 * workers];
            for (int[] c : blocks.map(b -> new int[] {b.shard, b.rows}).collect()) {
                counts[c[0]] = c[1];
            }
            long trainRows = 0;
            long validationRows = 0;
            int[] shardRows = new int[workers];
            for (int i = 0; i < workers; i++) {
                shardRows[i] = counts[i];
                trainRows += counts[i];
                validationRows += counts[workers + i];
            }
            if (trainRows == 0) {
                throw new LaminaException("validationFraction " + validationFraction + " left no rows for training; use a smaller "
                        + "fraction or more rows.");
            }
            JavaRDD<ShardBlock> train = pruned(blocks, 0, workers);
            JavaRDD<ShardBlock> validation = validationRows == 0 ? null : pruned(blocks, workers, 2 * workers);
            return new TrainingData(blocks, train, validation, shardRows, trainRows, validationRows, xCols, yCols);
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
    }

    private static ShardBlock toBlock(int partition, Iterator<Tuple2<Integer, LabeledRow>> it, int xCols, int yCols) {
        List<LabeledRow> rows = new ArrayList<>();
        it.forEachRemaining(t -> rows.add(t._2()));
        // a shuffle delivers rows in any order; the DataFrame's order makes every attempt alike
        rows.sort(Comparator.comparingLong(r -> r.number));
        float[] x = new float[rows.size() * xCols];
        float[] y = new float[rows.size() * yCols];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).x, 0, x, i * xCols, xCols);
            System.arraycopy(rows.get(i).y, 0, y, i * yCols, yCols);
        }
        return new ShardBlock(partition, rows.size(), xCols, yCols, x, y);
    }

    /** The partitions {@code [from, to)} of the cached blocks, as an RDD of their own (no copy, no recomputation). */
    private static JavaRDD<ShardBlock> pruned(JavaRDD<ShardBlock> blocks, int from, int to) {
        return new JavaRDD<>(PartitionPruningRDD.create(blocks.rdd(), new PartitionRange(from, to)),
                ClassTag$.MODULE$.apply(ShardBlock.class));
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }

    /** Partition {@code key}: the keys are already partition numbers. */
    static final class ShardPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ShardPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ShardPartitioner && ((ShardPartitioner) other).partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** A serializable Scala predicate on partition indices, for {@link PartitionPruningRDD}. */
    static final class PartitionRange extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;

        PartitionRange(int from, int to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public Object apply(Object index) {
            int i = (Integer) index;
            return i >= from && i < to;
        }
    }
}
