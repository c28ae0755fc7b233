package dev.lamina.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VectorSupportTest {

    @Test
    void theBuildRunsItsTestsWithTheVectorApi() {
        // surefire passes --add-modules jdk.incubator.vector; without it the vector tests would test nothing
        assertTrue(VectorSupport.moduleAvailable());
        assertTrue(new CpuBackend().usesVectorApi());
    }

    @Test
    void thePropertyForcesThePortablePath() {
        String old = System.getProperty(VectorSupport.PROPERTY);
        try {
            System.setProperty(VectorSupport.PROPERTY, "false");
            assertFalse(new CpuBackend().usesVectorApi());
        } finally {
            if (old == null) {
                System.clearProperty(VectorSupport.PROPERTY);
            } else {
                System.setProperty(VectorSupport.PROPERTY, old);
            }
        }
    }
}
