package dev.lamina.bench;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Storage;
import java.util.Random;

/**
 * One row of {@link Compare}'s table: what is measured, in which unit, and how to set it up on a
 * backend. {@link #prepare} allocates and uploads; the returned {@link Prepared} is called many times
 * and then closed.
 */
abstract class CompareTask {
    final String group;
    final String name;
    final String unit;

    private CompareTask(String group, String name, String unit) {
        this.group = group;
        this.name = name;
        this.unit = unit;
    }

    /** Ready-to-run work on one backend: one {@link #call()} does {@link #work} units. */
    interface Prepared extends AutoCloseable {
        void call();

        double work();

        @Override
        void close();
    }

    abstract Prepared prepare(Backend backend);

    /** {@code C = op(A)·op(B)}, float32, in GFLOP/s. */
    static CompareTask gemm(String shapeText) {
        GemmShape s = GemmShape.parse(shapeText);
        return new CompareTask("GEMM", shapeText, "GFLOP/s") {
            @Override
            Prepared prepare(Backend backend) {
                Random random = new Random(42);
                Storage a = uploadRandoms(backend, random, s.m * s.k);
                Storage b = uploadRandoms(backend, random, s.k * s.n);
                Storage c = backend.allocate((long) s.m * s.n);
                return new Prepared() {
                    public void call() {
                        backend.gemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, b, 0f, c);
                    }

                    public double work() {
                        return s.flops() / 1e9;
                    }

                    public void close() {
                        backend.synchronize();
                        backend.release(a);
                        backend.release(b);
                        backend.release(c);
                    }
                };
            }
        };
    }

    /** One {@link OpCase} op at {@code size} elements, in millions of elements per second. */
    static CompareTask op(String op, int size) {
        return new CompareTask("Ops", op + " " + sizeLabel(size), "M elements/s") {
            @Override
            Prepared prepare(Backend backend) {
                OpCase opCase = new OpCase(backend, op, size);
                return new Prepared() {
                    public void call() {
                        opCase.run();
                    }

                    public double work() {
                        return opCase.elements / 1e6;
                    }

                    public void close() {
                        opCase.close();
                    }
                };
            }
        };
    }

    /**
     * Training a {@link ReferenceModel}: one call is one {@code fit} epoch of {@code steps} full
     * batches (their upload to the backend included), in samples per second.
     */
    static CompareTask train(ReferenceModel model, int steps) {
        return new CompareTask("Training", "model " + model.letter() + ": " + model.description + ", batch " + model.batch,
                "samples/s") {
            @Override
            Prepared prepare(Backend backend) {
                Sequential net = model.build(backend);
                float[][] x = model.inputs(steps);
                float[][] y = model.targets(steps);
                FitOptions options = new FitOptions().epochs(1).batchSize(model.batch).verbose(0);
                return new Prepared() {
                    public void call() {
                        net.fit(x, y, options);
                    }

                    public double work() {
                        return (double) steps * model.batch;
                    }

                    public void close() {
                        net.close();
                    }
                };
            }
        };
    }

    /** 1000 → "1e3", 1000000 → "1e6"; other sizes as they are. */
    static String sizeLabel(int size) {
        int exponent = (int) Math.round(Math.log10(size));
        return Math.pow(10, exponent) == size ? "1e" + exponent : Integer.toString(size);
    }

    private static Storage uploadRandoms(Backend backend, Random random, int n) {
        float[] host = new float[n];
        for (int i = 0; i < n; i++) {
            host[i] = random.nextFloat() * 2 - 1;
        }
        Storage s = backend.allocate(n);
        backend.upload(host, 0, s, 0, n);
        return s;
    }
}
