package dev.lamina.spark;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One shard's part of one round, run on an executor as treeAggregate's seqOp: start from the
 * broadcast state, train on the shard's share of global batches {@code [stepFrom, stepTo)}, add the
 * resulting state to the sum. It depends only on its inputs, so a retried attempt recomputes
 * exactly what the failed one would have.
 */
final class RoundTask implements Function2<StateSum, ShardBlock, StateSum> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> modelBytes;
    private final Broadcast<ModelState> state;
    private final TrainingSettings settings;
    private final int epoch;
    private final int round;
    private final int stepFrom;
    private final int stepTo;

    RoundTask(Broadcast<byte[]> modelBytes, Broadcast<ModelState> state, TrainingSettings settings, int epoch, int round,
            int stepFrom, int stepTo) {
        this.modelBytes = modelBytes;
        this.state = state;
        this.settings = settings;
        this.epoch = epoch;
        this.round = round;
        this.stepFrom = stepFrom;
        this.stepTo = stepTo;
    }

    @Override
    public StateSum call(StateSum sum, ShardBlock block) {
        int batch = settings.plan.localBatch(block.shard);
        int from = (int) Math.min((long) stepFrom * batch, block.rows);
        int to = (int) Math.min((long) stepTo * batch, block.rows);
        if (from >= to) {
            return sum;     // this shard's rows ran out before the epoch's last global batches
        }
        int[] order = ExecutorCache.epochOrder(settings.key, settings.plan, block.rows, epoch, block.shard, settings.shuffle);
        float[][][] xy = block.slice(order, from, to);
        Sequential network = ExecutorCache.borrow(settings.key, modelBytes.value(), settings.backend);
        try {
            state.value().applyTo(network);
            History history = network.fit(xy[0], xy[1], new FitOptions().epochs(1).batchSize(batch).shuffle(false).verbose(0)
                    .seed(settings.plan.roundSeed(epoch, round, block.shard)));
            // a test's injected fault strikes after the work, so the retry must undo what this attempt did
            FaultInjection.maybeFail(epoch, round, block.shard);
            sum.add(ModelState.of(network), to - from);
            Map<String, Double> means = new LinkedHashMap<>();
            for (String key : history.keys()) {
                means.put(key, history.last(key));
            }
            sum.metrics.add(means, settings.metricNames, to - from);
            return sum;
        } finally {
            ExecutorCache.giveBack(settings.key, network);
        }
    }

    /** What every task of a fit shares. */
    static final class TrainingSettings implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String key;
        final String backend;
        final ShardPlan plan;
        final boolean shuffle;
        final List<String> metricNames;

        TrainingSettings(String key, String backend, ShardPlan plan, boolean shuffle, List<String> metricNames) {
            this.key = key;
            this.backend = backend;
            this.plan = plan;
            this.shuffle = shuffle;
            this.metricNames = List.copyOf(metricNames);
        }
    }
}
