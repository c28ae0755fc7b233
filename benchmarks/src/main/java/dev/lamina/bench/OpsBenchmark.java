package dev.lamina.bench;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SPI's hot non-GEMM ops (see {@link OpCase}: bias add and gradient, every activation forward
 * and backward, softmax, the Adam and SGD updates) per backend and size. The score is the time of
 * one call, synchronised: a GPU backend queues work asynchronously, so each call waits for the
 * device before it counts. Throughput in elements/s = size / score.
 *
 * <p>{@code backend}: a backend that is not usable here fails its setup with the reason (JMH
 * cannot skip a parameter value); pass {@code -p backend=$(java -cp benchmarks.jar
 * dev.lamina.bench.BackendsFound)} to run only the usable ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsPrepend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class OpsBenchmark {

    @Param({"cpu", "cuda"})
    public String backend;

    @Param({"bias_add", "bias_grad", "relu_fwd", "relu_bwd", "elu_fwd", "elu_bwd", "gelu_fwd", "gelu_bwd",
        "selu_fwd", "selu_bwd", "swish_fwd", "swish_bwd", "sigmoid_fwd", "sigmoid_bwd", "tanh_fwd", "tanh_bwd",
        "softmax_fwd", "softmax_bwd", "softplus_fwd", "softplus_bwd", "leaky_relu_fwd", "leaky_relu_bwd",
        "adam", "sgd"})
    public String op;

    /** Elements per call: 1e3, 1e5, 1e7 (1e4 and 1e6 work too). */
    @Param({"1000", "100000", "10000000"})
    public int size;

    private Backend on;
    private OpCase opCase;

    @Setup(Level.Trial)
    public void setUp() {
        BackendsFound.requireUsable(backend);
        on = Backends.get(backend);
        opCase = new OpCase(on, op, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opCase.close();
    }

    @Benchmark
    public void op() {
        opCase.run();
        on.synchronize();
    }
}
