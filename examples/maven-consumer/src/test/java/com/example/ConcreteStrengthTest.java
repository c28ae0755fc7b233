package com.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcreteStrengthTest {
    @Test
    void surefireStartsTheTestsWithTheVectorApi() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "argLine --add-modules jdk.incubator.vector");
    }

    @Test
    void trainingOnTheCpuBackendLearnsTheStrength() {
        Map<String, Double> scores = ConcreteStrength.train(Path.of("../../data/concrete.csv"), 20);
        // predicting the mean strength gives an MAE of about 13 MPa
        assertTrue(scores.get("mae") < 7, "validation mae " + scores.get("mae"));
    }
}
