package dev.lamina.bench;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.layers.Dense;
import java.util.Random;
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
 * Training steps of the three reference models (issue 7), one epoch of {@value #STEPS} steps per
 * invocation, so the score is the time of one step (forward, loss, backward, update) and
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} is the bytes allocated per step, the epoch's own
 * bookkeeping included. Samples/s = batch / score.
 * <ul>
 *   <li>a: 8→4(relu)→4(relu)→1, sgd, mse, batch 32 (the lesson; all framework overhead)</li>
 *   <li>b: 8→512→512→512(relu)→1, adam, mse, batch 256</li>
 *   <li>c: 784→512→512(relu)→10 softmax, adam, sparse categorical cross-entropy, batch 128</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 5, time = 2)
public class TrainStepBenchmark {
    static final int STEPS = 50;

    @Param({"a", "b", "c"})
    public String model;

    @Param({"cpu"})
    public String backend;

    private Sequential net;
    private float[][] x;
    private float[][] y;
    private FitOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        Backends.use(backend);
        Random random = new Random(7);
        int batch;
        switch (model) {
            case "a":
                batch = 32;
                net = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1));
                net.compile("sgd", "mse");
                data(random, batch, 8, 1, 0);
                break;
            case "b":
                batch = 256;
                net = new Sequential(new Dense(512), new Dense(512), new Dense(512, "relu"), new Dense(1));
                net.compile("adam", "mse");
                data(random, batch, 8, 1, 0);
                break;
            case "c":
                batch = 128;
                net = new Sequential(new Dense(512), new Dense(512, "relu"), new Dense(10, "softmax"));
                net.compile("adam", "sparse_categorical_crossentropy");
                data(random, batch, 784, 1, 10);
                break;
            default:
                throw new IllegalArgumentException("Unknown model " + model + "; use a, b or c");
        }
        options = new FitOptions().epochs(1).batchSize(batch).verbose(0);
    }

    /** Random inputs; regression targets, or class indices when {@code classes > 0}. */
    private void data(Random random, int batch, int in, int out, int classes) {
        int rows = batch * STEPS;
        x = new float[rows][in];
        y = new float[rows][out];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < in; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i][0] = classes > 0 ? random.nextInt(classes) : (float) random.nextGaussian();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
    }

    /** One epoch; JMH divides by the steps, so the score is per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Object trainStep() {
        return net.fit(x, y, options);
    }
}
