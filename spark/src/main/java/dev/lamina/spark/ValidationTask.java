package dev.lamina.spark;

import dev.lamina.Sequential;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/** Evaluates the epoch's averaged model on one validation shard, as fit evaluates its validation rows. */
final class ValidationTask implements Function2<MetricSums, ShardBlock, MetricSums> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> modelBytes;
    private final Broadcast<ModelState> state;
    private final RoundTask.TrainingSettings settings;

    ValidationTask(Broadcast<byte[]> modelBytes, Broadcast<ModelState> state, RoundTask.TrainingSettings settings) {
        this.modelBytes = modelBytes;
        this.state = state;
        this.settings = settings;
    }

    @Override
    public MetricSums call(MetricSums sums, ShardBlock block) {
        if (block.rows == 0) {
            return sums;
        }
        float[][][] xy = block.all();
        Sequential network = ExecutorCache.borrow(settings.key, modelBytes.value(), settings.backend);
        try {
            state.value().applyTo(network);
            sums.add(network.evaluate(xy[0], xy[1]), settings.metricNames, block.rows);
            return sums;
        } finally {
            ExecutorCache.giveBack(settings.key, network);
        }
    }

    static MetricSums merge(MetricSums a, MetricSums b) {
        a.add(b);
        return a;
    }
}
