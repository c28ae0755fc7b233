package dev.lamina.cpu.gemm;

import dev.lamina.cpu.ops.ElementKernels;

/**
 * Products too small to be worth packing (a layer of four units, a batch of one): direct loops,
 * each row of C built in place as a sum of scaled rows of op(B), so the inner loop is unit stride
 * whenever B is not transposed.
 */
final class SmallGemm {
    private SmallGemm() {
    }

    static void multiply(GemmCall call, ElementKernels ops) {
        int m = call.m;
        int n = call.n;
        int k = call.k;
        float[] a = call.a;
        float[] b = call.b;
        float[] c = call.c;
        for (int i = 0; i < m; i++) {
            int cOff = i * n;
            if (call.beta == 0f) {
                java.util.Arrays.fill(c, cOff, cOff + n, 0f);
            } else if (call.beta != 1f) {
                ops.scale(c, cOff, call.beta, n);
            }
            if (!call.transB) {
                for (int p = 0; p < k; p++) {
                    float aip = call.alpha * (call.transA ? a[p * m + i] : a[i * k + p]);
                    int bOff = p * n;
                    for (int j = 0; j < n; j++) {
                        c[cOff + j] += aip * b[bOff + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    int bOff = j * k;
                    for (int p = 0; p < k; p++) {
                        acc += (call.transA ? a[p * m + i] : a[i * k + p]) * b[bOff + p];
                    }
                    c[cOff + j] += call.alpha * acc;
                }
            }
            if (call.bias != null) {
                ops.addBias(c, cOff, call.bias, 0, c, cOff, n);
            }
            if (call.y != null) {
                ops.activate(call.activation, c, cOff, call.y, cOff, n);
            }
        }
    }
}
