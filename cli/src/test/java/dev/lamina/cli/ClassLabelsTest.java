package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import org.junit.jupiter.api.Test;

class ClassLabelsTest {
    private static float[][] column(float... v) {
        float[][] y = new float[v.length][1];
        for (int i = 0; i < v.length; i++) {
            y[i][0] = v[i];
        }
        return y;
    }

    @Test
    void classesAreTheSortedDistinctValuesAndTrainAsTheirPositions() {
        ClassLabels labels = ClassLabels.of(column(10, 3, 7, 3), "digit", Task.MULTICLASS);
        assertArrayEquals(new float[] {3, 7, 10}, labels.values());
        assertArrayEquals(column(2, 0, 1, 0), labels.toIndices(column(10, 3, 7, 3)));
        assertArrayEquals(new float[] {0, 0, 1}, labels.toOneHot(column(10))[0]);
    }

    @Test
    void binaryNeedsExactlyTwoWholeNumberClasses() {
        assertEquals(2, ClassLabels.of(column(0, 1, 1), "y", Task.BINARY).count());
        LaminaException three = assertThrows(LaminaException.class, () -> ClassLabels.of(column(0, 1, 2), "y", Task.BINARY));
        assertTrue(three.getMessage().contains("--task multiclass"), three.getMessage());
        LaminaException fraction = assertThrows(LaminaException.class, () -> ClassLabels.of(column(0, 0.5f), "y", Task.BINARY));
        assertTrue(fraction.getMessage().contains("--task regression"), fraction.getMessage());
    }

    @Test
    void theTaskFollowsTheLossAndTheLossMustFitTheTask() {
        assertEquals(Task.BINARY, Task.fromLoss("binary_crossentropy"));
        assertEquals(Task.MULTICLASS, Task.fromLoss("sparse_categorical_crossentropy"));
        assertEquals(Task.REGRESSION, Task.fromLoss("huber"));
        assertEquals(Task.REGRESSION, Task.fromLoss(null));
        assertThrows(LaminaException.class, () -> Task.REGRESSION.checkLoss("binary_crossentropy"));
        Task.BINARY.checkLoss("mse"); // a squared error on a probability is unusual but trains
    }
}
