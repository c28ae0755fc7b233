package dev.lamina.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Compare} measures in each mode, and for how long.
 * <ul>
 *   <li>{@code smoke}: every code path once on tiny sizes, a few seconds; for CI, not for figures.</li>
 *   <li>{@code quick}: the headline figures, about a minute on 2 cores.</li>
 *   <li>{@code full}: the sizes of the JMH benchmarks, several minutes per backend.</li>
 * </ul>
 */
enum ComparePlan {
    SMOKE(new Harness(20, 20, 1)),
    QUICK(new Harness(1000, 150, 5)),
    FULL(new Harness(2000, 500, 7));

    final Harness harness;

    ComparePlan(Harness harness) {
        this.harness = harness;
    }

    List<CompareTask> tasks() {
        List<CompareTask> tasks = new ArrayList<>();
        switch (this) {
            case SMOKE:
                tasks.add(CompareTask.gemm("64x64x64"));
                tasks.add(CompareTask.gemm("32x48x40:TN"));
                for (String op : OpCase.names()) {
                    tasks.add(CompareTask.op(op, 1000));
                }
                for (ReferenceModel m : ReferenceModel.values()) {
                    tasks.add(CompareTask.train(m, 2));
                }
                break;
            case QUICK:
                // square products, then model (c)'s first Dense layer forward (x·W) and its kernel gradient (xᵀ·dz)
                for (String shape : List.of("256x256x256", "512x512x512", "1024x1024x1024", "128x512x784", "784x512x128:TN")) {
                    tasks.add(CompareTask.gemm(shape));
                }
                for (String op : List.of("bias_add", "bias_grad", "relu_fwd", "relu_bwd", "gelu_fwd", "softmax_fwd", "adam", "sgd")) {
                    tasks.add(CompareTask.op(op, 1_000_000));
                }
                tasks.add(CompareTask.train(ReferenceModel.A, 50));
                tasks.add(CompareTask.train(ReferenceModel.B, 10));
                tasks.add(CompareTask.train(ReferenceModel.C, 10));
                break;
            default:
                for (String shape : List.of("128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
                        "256x512x784", "784x512x256:TN", "256x784x512:NT", "128x512x512", "512x512x128:TN", "128x512x512:NT")) {
                    tasks.add(CompareTask.gemm(shape));
                }
                for (int size : new int[] {1000, 100_000, 10_000_000}) {
                    for (String op : OpCase.names()) {
                        tasks.add(CompareTask.op(op, size));
                    }
                }
                tasks.add(CompareTask.train(ReferenceModel.A, 100));
                tasks.add(CompareTask.train(ReferenceModel.B, 20));
                tasks.add(CompareTask.train(ReferenceModel.C, 20));
                break;
        }
        return tasks;
    }
}
