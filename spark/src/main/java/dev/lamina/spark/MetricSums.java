package dev.lamina.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** Loss and metric values times rows, summed over shards and rounds: an epoch's means for the history. */
final class MetricSums implements Serializable {
    private static final long serialVersionUID = 1L;

    double loss;
    final double[] metrics;
    long rows;

    MetricSums(int metricCount) {
        this.metrics = new double[metricCount];
    }

    /** Adds the means a fit or an evaluate reported over {@code rows} rows. */
    void add(Map<String, Double> means, List<String> metricNames, long rows) {
        loss += means.get("loss") * rows;
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] += means.get(metricNames.get(i)) * rows;
        }
        this.rows += rows;
    }

    void add(MetricSums other) {
        loss += other.loss;
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] += other.metrics[i];
        }
        rows += other.rows;
    }

    /** The means, keyed as fit's history is ({@code prefix} "val_" for validation). */
    void putMeans(Map<String, Double> logs, List<String> metricNames, String prefix) {
        logs.put(prefix + "loss", loss / rows);
        for (int i = 0; i < metrics.length; i++) {
            logs.put(prefix + metricNames.get(i), metrics[i] / rows);
        }
    }
}
