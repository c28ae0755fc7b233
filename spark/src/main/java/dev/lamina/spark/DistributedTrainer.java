package dev.lamina.spark;

import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel training with Spark's own machinery. Each round broadcasts the weights
 * and optimizer state; every shard runs {@code syncEvery} steps of its share of the global batch;
 * {@code treeAggregate} sums the shards' states weighted by their rows; the driver averages them.
 * An epoch is one pass over every shard's rows; its history holds the loss and metrics as fit's do.
 */
final class DistributedTrainer {
    /** Depth of treeAggregate's tree: with many shards, executors merge results before the driver sees them. */
    private static final int AGGREGATION_DEPTH = 2;
    private static final System.Logger LOG = System.getLogger("dev.lamina.spark");
    /** Rounds started in this JVM: tests check that bad input fails before the first. */
    static final java.util.concurrent.atomic.AtomicLong ROUNDS_STARTED = new java.util.concurrent.atomic.AtomicLong();

    private final JavaSparkContext spark;
    private final Sequential model;
    private final String backend;
    private final ShardPlan plan;
    private final int syncEvery;
    private final boolean shuffle;

    DistributedTrainer(JavaSparkContext spark, Sequential model, String backend, ShardPlan plan, int syncEvery, boolean shuffle) {
        this.spark = spark;
        this.model = model;
        this.backend = backend;
        this.plan = plan;
        this.syncEvery = syncEvery;
        this.shuffle = shuffle;
    }

    /** Trains {@code model} (on the driver: it holds the averaged state) for {@code epochs} passes over {@code data}. */
    History train(TrainingData data, int epochs) {
        List<String> metricNames = model.metricNames();
        RoundTask.TrainingSettings settings = new RoundTask.TrainingSettings(UUID.randomUUID().toString(), backend, plan, shuffle,
                metricNames);
        Broadcast<byte[]> modelBytes = spark.broadcast(ModelBytes.of(model));
        History history = new History();
        ModelState state = ModelState.of(model);
        int steps = stepsPerEpoch(data.shardRows);
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                MetricSums epochSums = new MetricSums(metricNames.size());
                for (int round = 0, from = 0; from < steps; round++, from += syncEvery) {
                    int to = Math.min(from + syncEvery, steps);
                    ROUNDS_STARTED.incrementAndGet();
                    Broadcast<ModelState> start = spark.broadcast(state);
                    StateSum sum;
                    try {
                        sum = data.train.treeAggregate(new StateSum(metricNames.size()),
                                new RoundTask(modelBytes, start, settings, epoch, round, from, to), StateSum::merge,
                                AGGREGATION_DEPTH);
                    } finally {
                        start.destroy();
                    }
                    if (sum.isEmpty()) {
                        throw new IllegalStateException("Round " + round + " of epoch " + epoch + " trained on no rows");
                    }
                    state = sum.average();
                    epochSums.add(sum.metrics);
                }
                Map<String, Double> logs = new LinkedHashMap<>();
                epochSums.putMeans(logs, metricNames, "");
                if (data.validation != null) {
                    Broadcast<ModelState> end = spark.broadcast(state);
                    try {
                        data.validation.treeAggregate(new MetricSums(metricNames.size()),
                                new ValidationTask(modelBytes, end, settings), ValidationTask::merge, AGGREGATION_DEPTH)
                                .putMeans(logs, metricNames, "val_");
                    } finally {
                        end.destroy();
                    }
                }
                history.append(logs);
                if (LOG.isLoggable(System.Logger.Level.INFO)) {
                    StringBuilder line = new StringBuilder("Epoch " + (epoch + 1) + "/" + epochs + " (" + rounds(steps)
                            + " rounds of " + syncEvery + " steps on " + plan.workers + " workers)");
                    logs.forEach((k, v) -> line.append(String.format(java.util.Locale.ROOT, " - %s: %.4f", k, v)));
                    LOG.log(System.Logger.Level.INFO, line.toString());
                }
            }
        } finally {
            modelBytes.destroy();
        }
        state.applyTo(model);
        return history;
    }

    private int rounds(int steps) {
        return (steps + syncEvery - 1) / syncEvery;
    }

    /** Global batches per epoch: enough for the shard that needs the most local steps. */
    int stepsPerEpoch(int[] shardRows) {
        long steps = 0;
        for (int shard = 0; shard < shardRows.length; shard++) {
            int batch = plan.localBatch(shard);
            steps = Math.max(steps, (shardRows[shard] + (long) batch - 1) / batch);
        }
        if (steps > Integer.MAX_VALUE) {
            throw new LaminaException("An epoch of " + steps + " steps is too many; use a larger batchSize.");
        }
        return (int) steps;
    }
}
