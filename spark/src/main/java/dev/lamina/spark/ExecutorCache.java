package dev.lamina.spark;

import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an executor keeps between tasks of one fit or one transform: idle networks (each running task
 * borrows its own, so tasks never share one) and the shards' row orders of the current epoch. Only
 * the most recent few fits' entries are kept; anything evicted is rebuilt on demand, identically.
 */
final class ExecutorCache {
    private static final int KEPT_KEYS = 2;
    private static final Map<String, ArrayDeque<Sequential>> IDLE = new LinkedHashMap<>(16, 0.75f, true);
    private static final Map<String, int[]> ORDERS = new LinkedHashMap<>(16, 0.75f, true);

    private ExecutorCache() {
    }

    /** A network of the model {@code key} for this task alone: an idle one, or a new one from the bytes. */
    static Sequential borrow(String key, byte[] modelBytes, String backend) {
        synchronized (IDLE) {
            ArrayDeque<Sequential> idle = IDLE.get(key);
            if (idle != null && !idle.isEmpty()) {
                return idle.pop();
            }
        }
        return ModelBytes.load(modelBytes, Backends.get(backend));
    }

    /** Returns a network for later tasks of the same model. */
    static void giveBack(String key, Sequential network) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(network);
            Iterator<Map.Entry<String, ArrayDeque<Sequential>>> eldest = IDLE.entrySet().iterator();
            while (IDLE.size() > KEPT_KEYS && eldest.hasNext()) {
                Map.Entry<String, ArrayDeque<Sequential>> e = eldest.next();
                e.getValue().forEach(Sequential::close);
                eldest.remove();
            }
        }
    }

    /** A shard's row order in an epoch, computed once per executor and epoch rather than once per round. */
    static int[] epochOrder(String key, ShardPlan plan, int rows, int epoch, int shard, boolean shuffle) {
        String orderKey = key + "/" + epoch + "/" + shard;
        synchronized (ORDERS) {
            int[] order = ORDERS.get(orderKey);
            if (order != null) {
                return order;
            }
        }
        int[] order = plan.epochOrder(rows, epoch, shard, shuffle);
        synchronized (ORDERS) {
            ORDERS.put(orderKey, order);
            Iterator<String> eldest = ORDERS.keySet().iterator();
            while (ORDERS.size() > 64 && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
        }
        return order;
    }
}
