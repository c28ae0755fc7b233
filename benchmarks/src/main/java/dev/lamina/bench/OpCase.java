package dev.lamina.bench;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.Backend;
import dev.lamina.backend.Scratch;
import dev.lamina.backend.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One element-wise or row-wise op of the backend SPI, set up on one backend at one size: inputs
 * uploaded, outputs allocated, ready to {@link #run()} again and again. Shared by
 * {@link OpsBenchmark} (JMH) and {@link Compare}.
 *
 * <p>Ops: {@code bias_add}, {@code bias_grad}, {@code <activation>_fwd} and {@code <activation>_bwd}
 * for every activation but linear (softmax included), {@code adam}, {@code sgd}. Matrix ops see
 * the elements as rows of {@value #COLS} columns (a size that is not a multiple is rounded down to
 * whole rows, at least one).
 */
final class OpCase implements AutoCloseable {
    static final int COLS = 100;

    private final Backend backend;
    private final List<Storage> owned = new ArrayList<>();
    private final Scratch scratch;
    private final Runnable op;
    /** Elements the op touches per call (the output's size). */
    final long elements;

    OpCase(Backend backend, String name, int size) {
        this.backend = backend;
        this.scratch = new Scratch(backend);
        int rows = Math.max(1, size / COLS);
        int cols = size < COLS ? size : COLS;
        int n = rows * cols;
        this.elements = n;
        Random random = new Random(11);
        this.op = build(name, random, rows, cols, n);
    }

    /** Every op name, in the order reports list them. */
    static List<String> names() {
        List<String> names = new ArrayList<>(List.of("bias_add", "bias_grad"));
        for (ActivationKind kind : ActivationKind.values()) {
            if (kind != ActivationKind.LINEAR) {
                names.add(kind.kerasName() + "_fwd");
                names.add(kind.kerasName() + "_bwd");
            }
        }
        names.add("adam");
        names.add("sgd");
        return names;
    }

    private Runnable build(String name, Random random, int rows, int cols, int n) {
        switch (name) {
            case "bias_add": {
                Storage x = randoms(random, n);
                Storage bias = randoms(random, cols);
                Storage y = backend.allocate(n);
                owned.add(y);
                return () -> backend.biasAdd(x, bias, rows, cols, y);
            }
            case "bias_grad": {
                Storage dy = randoms(random, n);
                Storage db = backend.allocate(cols);
                owned.add(db);
                return () -> backend.biasGradient(dy, rows, cols, db);
            }
            case "adam": {
                Storage w = randoms(random, n);
                Storage g = randoms(random, n);
                Storage m = randoms(random, n);
                Storage v = constant(n, 0.01f);
                return () -> backend.adamUpdate(w, g, m, v, n, 1e-3f, 1e-3f, 0.9f, 0.999f, 1e-7f, 0f, scratch);
            }
            case "sgd": {
                Storage w = randoms(random, n);
                Storage g = randoms(random, n);
                return () -> backend.sgdUpdate(w, g, null, n, 0.01f, 0f, false, scratch);
            }
            default:
                return activation(name, random, rows, cols, n);
        }
    }

    private Runnable activation(String name, Random random, int rows, int cols, int n) {
        boolean forward = name.endsWith("_fwd");
        if (!forward && !name.endsWith("_bwd")) {
            throw new IllegalArgumentException("Unknown op '" + name + "'; ops: " + names());
        }
        ActivationKind kind = ActivationKind.of(name.substring(0, name.length() - 4).toLowerCase(Locale.ROOT));
        Storage x = randoms(random, n);
        Storage y = backend.allocate(n);
        owned.add(y);
        backend.activationForward(kind, x, y, rows, cols);
        if (forward) {
            return () -> backend.activationForward(kind, x, y, rows, cols);
        }
        Storage dy = randoms(random, n);
        Storage dx = backend.allocate(n);
        owned.add(dx);
        return () -> backend.activationBackward(kind, x, y, dy, dx, rows, cols);
    }

    /** Queues the op once; on an asynchronous backend it may still be running on return. */
    void run() {
        op.run();
    }

    private Storage randoms(Random random, int n) {
        float[] host = new float[n];
        for (int i = 0; i < n; i++) {
            host[i] = random.nextFloat() * 2 - 1;
        }
        Storage s = backend.allocate(n);
        owned.add(s);
        backend.upload(host, 0, s, 0, n);
        return s;
    }

    private Storage constant(int n, float value) {
        Storage s = backend.allocate(n);
        owned.add(s);
        backend.fill(s, 0, n, value);
        return s;
    }

    @Override
    public void close() {
        backend.synchronize();
        scratch.close();
        owned.forEach(backend::release);
        owned.clear();
    }
}
