package dev.lamina.cpu;

import dev.lamina.backend.ActivationKind;
import dev.lamina.backend.BinaryOp;
import dev.lamina.backend.UnaryOp;
import dev.lamina.cpu.ops.ElementKernels;

/**
 * The element-wise ops that are worth splitting across threads when the arrays are large (an
 * optimizer update of a big kernel, an activation of a big batch). Small arrays run on the calling
 * thread. The split reuses one task object whose fields hold the current call, so a parallel op
 * allocates nothing.
 */
final class ParallelOps {
    /** Below this many elements an element-wise op stays on the calling thread. */
    static final int PARALLEL_THRESHOLD = 1 << 16;
    /** Parts start on multiples of this, so that two threads never share a cache line. */
    private static final int ALIGN = 64;

    private enum Kind { ACTIVATE, ACTIVATE_BACKWARD, UNARY, BINARY, AXPBY, SGD, ADAM }

    private final ElementKernels ops;
    private final WorkerPool pool;
    private final Task task = new Task();

    ParallelOps(ElementKernels ops, WorkerPool pool) {
        this.ops = ops;
        this.pool = pool;
    }

    private boolean serial(int n) {
        return n < PARALLEL_THRESHOLD || pool.threads() == 1;
    }

    void activate(ActivationKind kind, float[] x, float[] y, int n) {
        if (serial(n)) {
            ops.activate(kind, x, 0, y, 0, n);
            return;
        }
        synchronized (task) {
            task.kind = Kind.ACTIVATE;
            task.activation = kind;
            task.a = x;
            task.b = y;
            run(n);
        }
    }

    void activateBackward(ActivationKind kind, float[] x, float[] y, float[] dy, float[] dx, int n) {
        if (serial(n)) {
            ops.activateBackward(kind, x, 0, y, 0, dy, 0, dx, 0, n);
            return;
        }
        synchronized (task) {
            task.kind = Kind.ACTIVATE_BACKWARD;
            task.activation = kind;
            task.a = x;
            task.b = y;
            task.c = dy;
            task.d = dx;
            run(n);
        }
    }

    void unary(UnaryOp op, float[] x, float[] y, int n) {
        if (serial(n)) {
            ops.unary(op, x, 0, y, 0, n);
            return;
        }
        synchronized (task) {
            task.kind = Kind.UNARY;
            task.unary = op;
            task.a = x;
            task.b = y;
            run(n);
        }
    }

    void binary(BinaryOp op, float[] a, float[] b, float[] out, int n) {
        if (serial(n)) {
            ops.binary(op, a, 0, b, 0, out, 0, n);
            return;
        }
        synchronized (task) {
            task.kind = Kind.BINARY;
            task.binary = op;
            task.a = a;
            task.b = b;
            task.c = out;
            run(n);
        }
    }

    void axpby(float alpha, float[] x, float beta, float[] y, int n) {
        if (serial(n)) {
            ops.axpby(alpha, x, 0, beta, y, 0, n);
            return;
        }
        synchronized (task) {
            task.kind = Kind.AXPBY;
            task.s0 = alpha;
            task.s1 = beta;
            task.a = x;
            task.b = y;
            run(n);
        }
    }

    void sgdMomentum(float[] w, float[] g, float[] velocity, int n, float lr, float momentum, boolean nesterov) {
        if (serial(n)) {
            ops.sgdMomentum(w, g, velocity, 0, n, lr, momentum, nesterov);
            return;
        }
        synchronized (task) {
            task.kind = Kind.SGD;
            task.a = w;
            task.b = g;
            task.c = velocity;
            task.s0 = lr;
            task.s1 = momentum;
            task.flag = nesterov;
            run(n);
        }
    }

    void adam(float[] w, float[] g, float[] m, float[] v, int n, float decay, float lrT,
              float beta1, float beta2, float epsilon) {
        if (serial(n)) {
            ops.adam(w, g, m, v, 0, n, decay, lrT, beta1, beta2, epsilon);
            return;
        }
        synchronized (task) {
            task.kind = Kind.ADAM;
            task.a = w;
            task.b = g;
            task.c = m;
            task.d = v;
            task.s0 = decay;
            task.s1 = lrT;
            task.s2 = beta1;
            task.s3 = beta2;
            task.s4 = epsilon;
            run(n);
        }
    }

    private void run(int n) {
        task.n = n;
        try {
            pool.run(task, pool.threads());
        } finally {
            task.a = task.b = task.c = task.d = null;
        }
    }

    /** The current call's arguments, and the code that runs one part of it. */
    private final class Task implements ParallelTask {
        Kind kind;
        ActivationKind activation;
        UnaryOp unary;
        BinaryOp binary;
        float[] a;
        float[] b;
        float[] c;
        float[] d;
        float s0;
        float s1;
        float s2;
        float s3;
        float s4;
        boolean flag;
        int n;

        @Override
        public void run(int part, int parts) {
            int from = boundary(part, parts);
            int len = boundary(part + 1, parts) - from;
            if (len <= 0) {
                return;
            }
            switch (kind) {
                case ACTIVATE:
                    ops.activate(activation, a, from, b, from, len);
                    break;
                case ACTIVATE_BACKWARD:
                    ops.activateBackward(activation, a, from, b, from, c, from, d, from, len);
                    break;
                case UNARY:
                    ops.unary(unary, a, from, b, from, len);
                    break;
                case BINARY:
                    ops.binary(binary, a, from, b, from, c, from, len);
                    break;
                case AXPBY:
                    ops.axpby(s0, a, from, s1, b, from, len);
                    break;
                case SGD:
                    ops.sgdMomentum(a, b, c, from, from + len, s0, s1, flag);
                    break;
                case ADAM:
                    ops.adam(a, b, c, d, from, from + len, s0, s1, s2, s3, s4);
                    break;
                default:
                    throw new AssertionError(kind);
            }
        }

        private int boundary(int part, int parts) {
            if (part >= parts) {
                return n;
            }
            long raw = (long) n * part / parts;
            return (int) Math.min(n, raw / ALIGN * ALIGN);
        }
    }
}
