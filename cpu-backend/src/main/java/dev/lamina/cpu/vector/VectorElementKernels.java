package dev.lamina.cpu.vector;

import dev.lamina.cpu.ops.ElementKernels;

/** Vector API versions of the hot element-wise loops; the rest are inherited from the portable ones. */
public final class VectorElementKernels extends ElementKernels {
    @Override
    public String describe() {
        return "Vector API";
    }
}
