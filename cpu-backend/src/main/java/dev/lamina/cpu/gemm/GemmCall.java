package dev.lamina.cpu.gemm;

import dev.lamina.backend.ActivationKind;

/**
 * The arguments of one product {@code C = alpha·op(A)·op(B) + beta·C}, and of the optional output
 * stage a Dense layer fuses into it: {@code C += bias} (per column), then {@code Y = act(C)}. A
 * mutable holder, filled and reused by one caller at a time, so that a call allocates nothing and
 * can be handed to the worker threads as it is.
 */
public final class GemmCall {
    boolean transA;
    boolean transB;
    int m;
    int n;
    int k;
    float alpha;
    float beta;
    float[] a;
    float[] b;
    float[] c;
    float[] bias;
    ActivationKind activation = ActivationKind.LINEAR;
    float[] y;

    /** Sets a plain product; clears any output stage. */
    public GemmCall set(boolean transA, boolean transB, int m, int n, int k,
                        float alpha, float[] a, float[] b, float beta, float[] c) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.a = a;
        this.b = b;
        this.beta = beta;
        this.c = c;
        this.bias = null;
        this.activation = ActivationKind.LINEAR;
        this.y = null;
        return this;
    }

    /**
     * Adds the Dense output stage: after the product, {@code C[i][j] += bias[j]} (bias may be null)
     * and, unless the activation is linear, {@code Y = act(C)} (element-wise activations only).
     */
    public GemmCall withOutput(float[] bias, ActivationKind activation, float[] y) {
        if (!activation.elementWise()) {
            throw new IllegalArgumentException(activation + " works on whole rows; it cannot be fused into a tile");
        }
        this.bias = bias;
        this.activation = activation;
        this.y = y;
        return this;
    }

    boolean hasOutputStage() {
        return bias != null || y != null;
    }

    /** Drops the array references so a reused holder does not keep a released tensor alive. */
    void clear() {
        a = null;
        b = null;
        c = null;
        bias = null;
        y = null;
    }
}
