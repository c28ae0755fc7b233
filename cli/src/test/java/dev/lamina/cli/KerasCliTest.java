package dev.lamina.cli;

import static dev.lamina.cli.LaminaProcess.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lamina train --save-format keras, and lamina predict on a Keras file with and without lamina train's preprocessing. */
class KerasCliTest {
    @TempDir
    Path work;

    @Test
    void trainWritesAKerasFileAndPredictReadsItWithAndWithoutPreprocessing() throws Exception {
        LaminaProcess.Result train = LaminaProcess.run(work, "train", data("concrete.csv").toString(), "--layers", "8",
                "--epochs", "2", "--verbose", "0", "--save-format", "keras", "--out", "model");
        assertEquals(0, train.exitCode(), train::toString);
        assertTrue(Files.isRegularFile(work.resolve("model/model.keras")), train::toString);
        assertFalse(Files.exists(work.resolve("model/" + ModelBundle.MODEL_FILE)), "one model file");
        assertTrue(train.out().contains("model.keras"), train::toString);

        LaminaProcess.Result bundled = LaminaProcess.run(work, "predict", "model", data("concrete.csv").toString(), "--out", "p.csv");
        assertEquals(0, bundled.exitCode(), bundled::toString);
        assertEquals("predicted_compressive_strength", Files.readAllLines(work.resolve("p.csv")).get(0));

        // alone, the Keras file takes the table's columns as they are (here unstandardised: only the plumbing is checked)
        Path alone = Files.createDirectories(work.resolve("alone")).resolve("concrete.keras");
        Files.copy(work.resolve("model/model.keras"), alone);
        LaminaProcess.Result raw = LaminaProcess.run(work, "predict", alone.toString(), data("concrete.csv").toString(),
                "--target", "compressive_strength", "--out", "raw.csv");
        assertEquals(0, raw.exitCode(), raw::toString);
        List<String> rows = Files.readAllLines(work.resolve("raw.csv"));
        assertEquals("output", rows.get(0));
        assertEquals(1031, rows.size());
        assertTrue(raw.out().contains("Compared with the column 'compressive_strength'"), raw::toString);

        LaminaProcess.Result tooWide = LaminaProcess.run(work, "predict", alone.toString(), data("concrete.csv").toString());
        assertEquals(2, tooWide.exitCode(), "a mistake in the arguments or the data");
        assertTrue(tooWide.err().contains("--target"), tooWide::toString);
    }

    @Test
    void anUnknownSaveFormatIsRefused() throws Exception {
        LaminaProcess.Result r = LaminaProcess.run(work, "train", data("concrete.csv").toString(), "--save-format", "onnx");
        assertTrue(r.exitCode() != 0, r::toString);
        assertTrue(r.err().contains("safetensors or keras"), r::toString);
    }
}
