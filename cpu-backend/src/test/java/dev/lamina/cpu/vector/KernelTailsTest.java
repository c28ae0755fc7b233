package dev.lamina.cpu.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.backend.ActivationKind;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An element's result does not depend on where it falls: in a vector's lanes or in the scalar
 * tail, for every length and offset, every activation forward and backward gives the bits of the
 * one-element formula ({@code VectorElementKernels.activation} and {@code gradient}), special
 * values included. (A row split differently, as Dense's backward pass splits by rows, therefore
 * gives the same bits.)
 */
class KernelTailsTest {
    private static final VectorElementKernels KERNELS = new VectorElementKernels();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ActivationKind.class, mode = EnumSource.Mode.EXCLUDE, names = {"LINEAR", "SOFTMAX"})
    void everyElementGetsTheBitsOfTheScalarFormula(ActivationKind kind) {
        float[] x = KernelFingerprint.inputs();
        int n = x.length;
        float[] dy = new float[n];
        Random random = new Random(3);
        for (int i = 0; i < n; i++) {
            dy[i] = (float) random.nextGaussian();
        }
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        for (int off : new int[] {0, 1, lanes - 1, 40}) {
            for (int len = 1; off + len <= n; len += len < 3 * lanes + 2 ? 1 : 37) {
                float[] y = new float[n];
                KERNELS.activate(kind, x, off, y, off, len);
                float[] dx = new float[n];
                KERNELS.activateBackward(kind, x, off, y, off, dy, off, dx, off, len);
                for (int i = off; i < off + len; i++) {
                    String where = x[i] + " (offset " + off + ", length " + len + ")";
                    float expected = VectorElementKernels.activation(kind, x[i]);
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(y[i]),
                            kind + " forward of " + where);
                    float gradient = VectorElementKernels.gradient(kind, x[i], y[i], dy[i]);
                    assertEquals(Float.floatToIntBits(gradient), Float.floatToIntBits(dx[i]),
                            kind + " backward at " + where);
                }
            }
        }
    }
}
