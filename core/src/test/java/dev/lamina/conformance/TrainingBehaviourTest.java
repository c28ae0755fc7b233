package dev.lamina.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.Sequential;
import dev.lamina.backend.Backends;
import dev.lamina.data.Dataset;
import dev.lamina.layers.Dense;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Training behaves on real data (the course's concrete-strength regression): the lesson's network
 * lowers its loss, and a deep network beats a linear model on held-out rows.
 */
public abstract class TrainingBehaviourTest {
    protected abstract String backendName();

    /** The repository's data folder, from a module's directory. */
    public static Path data(String file) {
        Path p = Path.of("..", "data", file);
        return p.toFile().exists() ? p : Path.of("data", file);
    }

    /** Concrete, shuffled with a fixed seed, features standardised on the training rows: {train, test}. */
    public static Dataset[] concrete() {
        return CourseLessonsTest.standardised("concrete.csv", "compressive_strength");
    }

    @BeforeEach
    void chooseBackend() {
        Backends.use(backendName());
    }

    @AfterEach
    void restoreDefault() {
        Backends.use("auto");
    }

    @Test
    void theLessonsNetworkLowersItsLossOnConcrete() {
        Dataset train = concrete()[0];
        try (Sequential model = new Sequential(new Dense(4, "relu"), new Dense(4, "relu"), new Dense(1))) {
            model.compile("sgd", "mse");
            History h = model.fit(train.x(), train.y(), new FitOptions().epochs(10).verbose(0).seed(5));
            double[] loss = h.get("loss");
            assertTrue(loss[loss.length - 1] < loss[0] * 0.5, "training loss should fall: " + Arrays.toString(loss));
        }
    }

    @Test
    void aDeepNetworkBeatsALinearModelOnHeldOutRows() {
        Dataset[] d = concrete();
        double linear;
        try (Sequential model = new Sequential(new Dense(1))) {
            model.compile(new dev.lamina.optimizers.Adam(0.05f), "mse");
            model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(60).verbose(0).seed(11));
            linear = model.evaluate(d[1].x(), d[1].y()).get("loss");
        }
        double deep;
        try (Sequential model = new Sequential(new Dense(512, "relu"), new Dense(512, "relu"), new Dense(512, "relu"), new Dense(1))) {
            model.compile("adam", "mse", "mae");
            History h = model.fit(d[0].x(), d[0].y(), new FitOptions().epochs(25).batchSize(32).verbose(0).seed(11));
            Map<String, Double> scores = model.evaluate(d[1].x(), d[1].y());
            deep = scores.get("loss");
            assertTrue(scores.containsKey("mae") && h.get("mae").length == 25);
        }
        assertTrue(deep < linear * 0.6, "held-out MSE: deep " + deep + " should beat linear " + linear);
    }
}
