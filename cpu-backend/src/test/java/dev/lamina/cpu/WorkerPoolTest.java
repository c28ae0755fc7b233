package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void everyPartRunsExactlyOnceInEveryRound() {
        WorkerPool pool = new WorkerPool(3);
        try {
            for (int parts = 1; parts <= 3; parts++) {
                AtomicIntegerArray counts = new AtomicIntegerArray(3);
                int rounds = 300;
                for (int round = 0; round < rounds; round++) {
                    pool.run((part, of) -> counts.incrementAndGet(part), parts);
                }
                for (int part = 0; part < 3; part++) {
                    assertEquals(part < parts ? rounds : 0, counts.get(part), "part " + part + " of " + parts);
                }
            }
        } finally {
            pool.close();
        }
    }

    @Test
    void aFailureInAWorkerReachesTheCaller() {
        WorkerPool pool = new WorkerPool(2);
        try {
            IllegalArgumentException thrown = new IllegalArgumentException("part 1 failed");
            IllegalArgumentException caught = assertThrows(IllegalArgumentException.class, () -> pool.run((part, of) -> {
                if (part == 1) {
                    throw thrown;
                }
            }, 2));
            assertSame(thrown, caught);
            // and the pool still works afterwards
            AtomicIntegerArray counts = new AtomicIntegerArray(2);
            pool.run((part, of) -> counts.incrementAndGet(part), 2);
            assertEquals(1, counts.get(1));
        } finally {
            pool.close();
        }
    }

    @Test
    void sharedPoolsAreReusedPerSize() {
        assertSame(WorkerPool.shared(2), WorkerPool.shared(2));
        assertEquals(2, WorkerPool.shared(2).threads());
    }

    @Test
    void threadCountComesFromThePropertyWhenSet() {
        String old = System.getProperty(WorkerPool.THREADS_PROPERTY);
        try {
            System.setProperty(WorkerPool.THREADS_PROPERTY, "1");
            assertEquals(1, WorkerPool.defaultThreads());
            assertEquals(1, new CpuBackend().threads());
            System.setProperty(WorkerPool.THREADS_PROPERTY, "many");
            assertThrows(IllegalArgumentException.class, WorkerPool::defaultThreads);
        } finally {
            if (old == null) {
                System.clearProperty(WorkerPool.THREADS_PROPERTY);
            } else {
                System.setProperty(WorkerPool.THREADS_PROPERTY, old);
            }
        }
    }
}
