package dev.lamina.cpu;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes allocated so far by the calling thread and by every worker of the CPU backend's pools
 * (threads named {@code lamina-cpu-N}), from HotSpot's per-thread allocation counters. Counting the
 * workers matters: a split product or update runs most of its parts there, and the caller's counter
 * alone cannot see what they allocate. Reading the counters allocates nothing.
 */
final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;
    private final long caller;
    private final long[] workers;

    private AllocationMeter(com.sun.management.ThreadMXBean threads, long caller, long[] workers) {
        this.threads = threads;
        this.caller = caller;
        this.workers = workers;
    }

    /** True when this JVM has HotSpot's per-thread allocation counter. */
    static boolean available() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean
                && ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).isThreadAllocatedMemorySupported();
    }

    /** A meter for the calling thread and the worker threads started so far (create the backends first). */
    static AllocationMeter forCallerAndWorkers() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        bean.setThreadAllocatedMemoryEnabled(true);
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("lamina-cpu-")) {
                ids.add(t.getId());
            }
        }
        return new AllocationMeter(bean, Thread.currentThread().getId(), ids.stream().mapToLong(Long::longValue).toArray());
    }

    int workerCount() {
        return workers.length;
    }

    /** Bytes the calling thread has allocated so far. */
    long caller() {
        return threads.getThreadAllocatedBytes(caller);
    }

    /** Bytes the worker threads have allocated so far (a worker that has ended counts as 0). */
    long workers() {
        long sum = 0;
        for (long id : workers) {
            sum += Math.max(0, threads.getThreadAllocatedBytes(id));
        }
        return sum;
    }
}
