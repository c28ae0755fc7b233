package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lamina.History;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveChartTest {
    @TempDir
    Path dir;

    private static History history(int epochs, String... keys) {
        History h = new History();
        for (int e = 0; e < epochs; e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (String k : keys) {
                logs.put(k, 1.0 / (e + 1));
            }
            h.append(logs);
        }
        return h;
    }

    @Test
    void oneLossPanelAndOneMetricPanelSideBySide() throws Exception {
        Logging.configure(); // headless
        Path png = dir.resolve("c.png");
        LearningCurveChart.write(history(60, "loss", "mae", "val_loss", "val_mae"), "mse", "t", png);
        BufferedImage both = ImageIO.read(png.toFile());
        LearningCurveChart.write(history(1, "loss"), "mse", "t", png);
        BufferedImage lossOnly = ImageIO.read(png.toFile());
        assertEquals(2 * lossOnly.getWidth(), both.getWidth());
        assertEquals(lossOnly.getHeight(), both.getHeight());
    }

    @Test
    void valuesThatAreNotFiniteAreLeftOutWithANoteAndTheChartIsStillWritten() throws Exception {
        Logging.configure(); // headless
        History h = new History();
        double inf = Double.POSITIVE_INFINITY;
        double[][] epochs = {{1, 2, 0.5, 0.9}, {0.8, 1.5, inf, Double.NaN}, {0.6, 1.2, 0.4, inf}, {0.5, 1.1, inf, inf}};
        for (double[] e : epochs) {
            Map<String, Double> logs = new LinkedHashMap<>();
            logs.put("loss", e[0]);
            logs.put("mae", e[1]);
            logs.put("val_loss", e[2]);
            logs.put("val_mae", e[3]);
            h.append(logs);
        }
        Path png = dir.resolve("gaps.png");
        LearningCurveChart.write(h, "mse", "t", png);
        assertEquals(2 * 640, ImageIO.read(png.toFile()).getWidth());
        assertEquals("Loss (t) [validation not finite at epochs 2, 4, not drawn]", LearningCurveChart.panel(h, "loss", "Loss (t)", "mse")
                .getTitle());
        // a curve with no finite value at all is left out whole; the chart still has its other curve
        History none = history(3, "loss");
        none.append(Map.of("loss", inf));
        LearningCurveChart.write(none, "mse", "t", png);
        assertEquals("Loss (t) [training not finite at epoch 4, not drawn]", LearningCurveChart.panel(none, "loss", "Loss (t)", "mse")
                .getTitle());
    }

    @Test
    void theMetricPanelShowsTheFirstMetricThatIsNotTheLoss() {
        assertEquals("accuracy", LearningCurveChart.firstMetric(history(2, "loss", "accuracy", "val_loss", "val_accuracy")));
        assertNull(LearningCurveChart.firstMetric(history(2, "loss", "val_loss")));
    }
}
