package dev.lamina.spark;

import dev.lamina.Sequential;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * transform's work on one partition: one network for the task (borrowed from the executor's cache,
 * built from the broadcast model at most once per executor thread), rows predicted in blocks of
 * {@link #BLOCK_ROWS}, each output row the input row plus the prediction (and the probabilities).
 */
final class Predictor implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    static final int BLOCK_ROWS = 4096;

    private final Broadcast<byte[]> modelBytes;
    private final String key;
    private final String backend;
    private final ColumnReader features;
    private final int featuresIndex;
    private final OutputKind kind;
    private final boolean withProbability;

    Predictor(Broadcast<byte[]> modelBytes, String key, String backend, ColumnReader features, int featuresIndex, OutputKind kind,
            boolean withProbability) {
        this.modelBytes = modelBytes;
        this.key = key;
        this.backend = backend;
        this.features = features;
        this.featuresIndex = featuresIndex;
        this.kind = kind;
        this.withProbability = withProbability;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Sequential network = ExecutorCache.borrow(key, modelBytes.value(), backend);
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> ExecutorCache.giveBack(key, network));
        }
        return new Iterator<>() {
            private final List<Row> block = new ArrayList<>(BLOCK_ROWS);
            private float[][] outputs;
            private int next;
            private long rowsRead;

            @Override
            public boolean hasNext() {
                if (next < block.size()) {
                    return true;
                }
                block.clear();
                next = 0;
                while (block.size() < BLOCK_ROWS && input.hasNext()) {
                    block.add(input.next());
                }
                if (block.isEmpty()) {
                    return false;
                }
                float[][] x = new float[block.size()][];
                for (int i = 0; i < x.length; i++) {
                    x[i] = features.read(block.get(i), featuresIndex, rowsRead + i, partition);
                }
                rowsRead += x.length;
                outputs = network.predict(x);
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = block.get(next);
                float[] out = outputs[next];
                next++;
                return withPrediction(row, out);
            }
        };
    }

    private Row withPrediction(Row row, float[] out) {
        int n = row.length();
        Object[] values = new Object[n + (withProbability ? 2 : 1)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        switch (kind.task) {
            case MULTICLASS: {
                double[] p = probabilities(out);
                int best = 0;
                for (int i = 1; i < p.length; i++) {
                    if (p[i] > p[best]) {
                        best = i;
                    }
                }
                values[n] = (double) best;
                if (withProbability) {
                    values[n + 1] = Vectors.dense(p);
                }
                break;
            }
            case BINARY: {
                double p = kind.fromLogits ? 1 / (1 + Math.exp(-out[0])) : out[0];
                values[n] = p > 0.5 ? 1.0 : 0.0;        // Keras' binary accuracy threshold
                if (withProbability) {
                    values[n + 1] = Vectors.dense(1 - p, p);
                }
                break;
            }
            default:
                if (kind.vectorPrediction()) {
                    double[] v = new double[out.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = out[i];
                    }
                    values[n] = Vectors.dense(v);
                } else {
                    values[n] = (double) out[0];
                }
        }
        return RowFactory.create(values);
    }

    private double[] probabilities(float[] out) {
        double[] p = new double[out.length];
        if (!kind.fromLogits) {
            for (int i = 0; i < p.length; i++) {
                p[i] = out[i];
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : out) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(out[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
