package dev.lamina.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads, one per core, that run the parts of a {@link ParallelTask}; the
 * calling thread runs part 0 itself. Unlike a general executor it allocates nothing per task (no
 * futures, no queue nodes), so a training step that splits its matrix products stays garbage-free.
 * One task runs at a time; callers from several threads take turns.
 *
 * <p>The size is the number of available processors, or the system property
 * {@code lamina.cpu.threads} when set (1 means everything runs on the calling thread).
 */
public final class WorkerPool implements AutoCloseable {
    public static final String THREADS_PROPERTY = "lamina.cpu.threads";

    /** Spins this many times before parking: a parked thread takes tens of microseconds to wake. */
    private static final int SPINS = 2_000;

    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile ParallelTask task;
    private volatile int parts;
    private volatile long generation;
    private volatile Thread waiting;
    private volatile boolean closed;
    private volatile Throwable failure;

    private static final java.util.Map<Integer, WorkerPool> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The process-wide pool of that many threads, started at first use and never closed: backends
     * share it, so creating many backends (one per test, say) does not multiply threads.
     */
    public static WorkerPool shared(int threads) {
        return SHARED.computeIfAbsent(threads, WorkerPool::new);
    }

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("A worker pool needs at least one thread, not " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /** The thread count from {@code lamina.cpu.threads}, else the number of available processors. */
    public static int defaultThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value != null && !value.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + THREADS_PROPERTY + "=" + value + " is not a whole number of threads", e);
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** How many parts can run at once: the workers plus the calling thread. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code task} in {@code parts} parts (at most {@link #threads()}) and returns when all are done. */
    public synchronized void run(ParallelTask task, int parts) {
        if (parts > threads()) {
            throw new IllegalArgumentException(parts + " parts for " + threads() + " threads");
        }
        if (parts <= 1) {
            task.run(0, 1);
            return;
        }
        if (closed) {
            throw new IllegalStateException("The CPU backend's worker pool is closed.");
        }
        this.task = task;
        this.parts = parts;
        this.failure = null;
        this.waiting = Thread.currentThread();
        // every worker takes part in every generation (those without a part just check in), so that
        // none can lag behind and read the next task's fields under the old generation
        pending.set(workers.length);
        generation++; // publishes the fields above to the workers
        for (int w = 0; w < workers.length; w++) {
            LockSupport.unpark(workers[w]);
        }
        Throwable own = null;
        try {
            task.run(0, parts);
        } catch (Throwable t) {
            own = t;
        }
        for (int spin = 0; pending.get() > 0; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.task = null;
        Throwable theirs = failure;
        if (own != null) {
            rethrow(own);
        }
        if (theirs != null) {
            rethrow(theirs);
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException(t);
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        private final int part;

        Worker(int part) {
            super("lamina-cpu-" + part);
            this.part = part;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (!closed) {
                int spin = 0;
                while (generation == seen && !closed) {
                    if (spin++ < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(WorkerPool.this);
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                int count = parts;
                if (part < count) {
                    try {
                        task.run(part, count);
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(waiting);
                }
            }
        }
    }
}
