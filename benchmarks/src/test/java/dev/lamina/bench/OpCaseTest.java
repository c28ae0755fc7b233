package dev.lamina.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lamina.backend.Backend;
import dev.lamina.backend.Backends;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every op name the benchmarks use sets up and runs (on the reference backend, small). */
class OpCaseTest {

    @Test
    void everyOpRuns() {
        Backend reference = Backends.get("reference");
        for (String op : OpCase.names()) {
            try (OpCase c = new OpCase(reference, op, 1000)) {
                c.run();
                assertEquals(1000, c.elements, op);
            }
        }
    }

    @Test
    void opsBenchmarkListsEveryOp() throws Exception {
        String[] param = OpsBenchmark.class.getField("op").getAnnotation(org.openjdk.jmh.annotations.Param.class).value();
        assertEquals(new HashSet<>(OpCase.names()), new HashSet<>(List.of(param)));
    }

    @Test
    void unknownOpIsRefusedWithTheList() {
        Backend reference = Backends.get("reference");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OpCase(reference, "relu", 10));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("relu_fwd"), e.getMessage());
    }

    @Test
    void referenceIsNeverMeasured() {
        org.junit.jupiter.api.Assertions.assertFalse(BackendsFound.usable().contains("reference"));
        org.junit.jupiter.api.Assertions.assertTrue(BackendsFound.usable().contains("cpu"));
    }
}
