package dev.lamina.bench;

import dev.lamina.FitOptions;
import dev.lamina.PreparedData;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training of the three {@link ReferenceModel}s (issue 7) per backend.
 * <ul>
 *   <li>{@code trainStep}: one epoch of {@value #STEPS} steps per invocation over rows prepared once
 *   ({@link Sequential#prepare}, as a training loop of many fits would), so the score is the time of
 *   one step (forward, loss, backward, update) and {@code -prof gc}'s {@code gc.alloc.rate.norm} is
 *   the bytes allocated per step, fit's own per-call bookkeeping included. Samples/s = batch / score.</li>
 *   <li>{@code epoch}: one {@code fit} call of one epoch over {@value #EPOCH_ROWS} rows (the data's
 *   upload to the backend included, as a user's fit pays it). Samples/s = rows / score.</li>
 * </ul>
 * {@code fit} reads the epoch's losses back at its end, which waits for a GPU: the time is real.
 * A backend that is not usable here fails its setup with the reason; see {@link BackendsFound}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 2)
public class TrainStepBenchmark {
    static final int STEPS = 50;
    static final int EPOCH_ROWS = 10_240;

    @Param({"a", "b", "c"})
    public String model;

    @Param({"cpu", "cuda"})
    public String backend;

    private Sequential net;
    private PreparedData stepRows;
    private float[][] epochX;
    private float[][] epochY;
    private FitOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        BackendsFound.requireUsable(backend);
        ReferenceModel m = ReferenceModel.of(model);
        net = m.build(Backends.get(backend));
        stepRows = net.prepare(m.inputs(STEPS), m.targets(STEPS));
        int epochSteps = EPOCH_ROWS / m.batch;
        epochX = m.inputs(epochSteps);
        epochY = m.targets(epochSteps);
        options = new FitOptions().epochs(1).batchSize(m.batch).verbose(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stepRows.close();
        net.close();
    }

    /** One epoch of {@value #STEPS} steps; JMH divides by the steps, so the score is per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Object trainStep() {
        return net.fit(stepRows, options);
    }

    /** One epoch over {@value #EPOCH_ROWS} rows. */
    @Benchmark
    public Object epoch() {
        return net.fit(epochX, epochY, options);
    }
}
