package dev.lamina.cli;

import static dev.lamina.cli.LaminaProcess.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lamina.backend.Backends;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real command as a process, as a user would, and checks what it prints and writes. */
class CliEndToEndTest {
    @TempDir
    Path work;

    @Test
    void noArgumentsPrintsHelp() throws Exception {
        LaminaProcess.Result r = LaminaProcess.run(work);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Usage: lamina"), r::toString);
        for (String command : List.of("train", "predict", "backends", "bench")) {
            assertTrue(r.out().contains(command), command + " missing from help\n" + r);
        }
    }

    @Test
    void trainThenPredictOnConcrete() throws Exception {
        LaminaProcess.Result train = LaminaProcess.run(work, "train", data("concrete.csv").toString(),
                "--layers", "16,16", "--dropout", "0.2", "--batch-norm", "--epochs", "3", "--out", "model");
        assertEquals(0, train.exitCode(), train::toString);
        assertTrue(train.out().contains("Epoch 3/3"), train::toString);
        assertTrue(train.out().contains("val_mae"), train::toString);
        assertTrue(train.out().contains("Final metrics"), train::toString);

        Path model = work.resolve("model");
        for (String f : List.of(ModelBundle.MODEL_FILE, ModelBundle.PREPROCESSING_FILE, "history.csv", "learning-curves.png")) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f + " missing");
        }
        List<String> history = Files.readAllLines(model.resolve("history.csv"));
        assertEquals("epoch,loss,mae,val_loss,val_mae", history.get(0));
        assertEquals(4, history.size(), "a header and one row per epoch");
        BufferedImage png = ImageIO.read(model.resolve("learning-curves.png").toFile());
        assertTrue(png.getWidth() >= 640 && png.getHeight() >= 400, "chart size " + png.getWidth() + "x" + png.getHeight());

        LaminaProcess.Result predict = LaminaProcess.run(work, "predict", "model", data("concrete.csv").toString(),
                "--out", "predictions.csv");
        assertEquals(0, predict.exitCode(), predict::toString);
        List<String> rows = Files.readAllLines(work.resolve("predictions.csv"));
        assertEquals("predicted_compressive_strength", rows.get(0));
        assertEquals(1031, rows.size(), "a header and one prediction per row of concrete.csv");
        double first = Double.parseDouble(rows.get(1));
        assertTrue(first > 0 && first < 150, "a compressive strength in MPa, got " + first);
        assertTrue(predict.out().contains("Compared with the column 'compressive_strength'"), predict::toString);

        // the loaded model with the saved standardisation gives exactly the trained model's outputs: the error
        // over all 1030 rows is the row-weighted mean of the errors train reported on its 824 and 206 rows
        double trainMae = lastValue(line(train, "training rows:"), "mae");
        double validMae = lastValue(line(train, "validation rows:"), "mae");
        double allMae = lastValue(predict.out(), "mae");
        assertEquals((824 * trainMae + 206 * validMae) / 1030, allMae, 1e-3 * allMae, predict::toString);
    }

    private static String line(LaminaProcess.Result r, String start) {
        return r.stdout().stream().filter(l -> l.trim().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + start + "' in\n" + r));
    }

    @Test
    void withoutDataTrainsTheBundledConcreteExampleFromAnyDirectory() throws Exception {
        LaminaProcess.Result r = LaminaProcess.run(work, "train", "--layers", "8", "--epochs", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("concrete.csv, 1030 rows, 8 features, target 'compressive_strength'"), r::toString);
        assertTrue(Files.isRegularFile(work.resolve(TrainCommand.DEFAULT_OUT).resolve("learning-curves.png")));
    }

    @Test
    void binaryClassificationReportsAccuracyAndPredictsClasses() throws Exception {
        LaminaProcess.Result train = LaminaProcess.run(work, "train", data("breast_cancer_wisconsin.csv").toString(),
                "--task", "binary", "--layers", "16", "--epochs", "8", "--out", "cancer");
        assertEquals(0, train.exitCode(), train::toString);
        assertTrue(train.out().contains("(binary, 2 classes)"), train::toString);
        double valAccuracy = lastValue(train.out(), "val_accuracy");
        assertTrue(valAccuracy > 0.85, "validation accuracy " + valAccuracy + "\n" + train);

        LaminaProcess.Result predict = LaminaProcess.run(work, "predict", "cancer",
                data("breast_cancer_wisconsin.csv").toString(), "--out", "p.csv");
        assertEquals(0, predict.exitCode(), predict::toString);
        List<String> rows = Files.readAllLines(work.resolve("p.csv"));
        assertEquals("predicted_malignant,probability_1", rows.get(0));
        assertTrue(rows.stream().skip(1).allMatch(row -> row.startsWith("0,") || row.startsWith("1,")), "labels 0 or 1");
        assertTrue(predict.out().contains("accuracy"), predict::toString);
    }

    @Test
    void multiclassTakesTheNumberOfClassesFromTheData() throws Exception {
        LaminaProcess.Result train = LaminaProcess.run(work, "train", data("digits_8x8.csv").toString(),
                "--task", "multiclass", "--layers", "32", "--epochs", "3", "--out", "digits", "--verbose", "2");
        assertEquals(0, train.exitCode(), train::toString);
        assertTrue(train.out().contains("(multiclass, 10 classes)"), train::toString);
        assertTrue(lastValue(train.out(), "val_accuracy") > 0.7, train::toString);
        JsonNode prep = new ObjectMapper().readTree(work.resolve("digits").resolve(ModelBundle.PREPROCESSING_FILE).toFile());
        assertEquals(10, prep.get("classes").size());
        assertEquals(64, prep.get("features").size());
        assertEquals(64, prep.get("mean").size());
    }

    @Test
    void theLossImpliesTheTask() throws Exception {
        LaminaProcess.Result train = LaminaProcess.run(work, "train", data("breast_cancer_wisconsin.csv").toString(),
                "--loss", "binary_crossentropy", "--layers", "4", "--epochs", "1", "--out", "m");
        assertEquals(0, train.exitCode(), train::toString);
        assertTrue(train.out().contains("(binary, 2 classes)"), train::toString);
    }

    @Test
    void earlyStoppingStopsBeforeTheLastEpoch() throws Exception {
        // a wide network on few rows overfits quickly, so val_loss stops improving long before 200 epochs
        LaminaProcess.Result r = LaminaProcess.run(work, "train", data("breast_cancer_wisconsin.csv").toString(),
                "--task", "binary", "--layers", "64,64", "--epochs", "200", "--validation-split", "0.5",
                "--early-stopping", "3", "--verbose", "2", "--out", "m");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Stopped early after"), r::toString);
        List<String> history = Files.readAllLines(work.resolve("m").resolve("history.csv"));
        assertTrue(history.size() - 1 < 200, "epochs run: " + (history.size() - 1));
    }

    @Test
    void runsTheCourseLessonsByName() throws Exception {
        LaminaProcess.Result list = LaminaProcess.run(work, "example");
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.out().contains("Lesson6BinaryClassification"), list::toString);
        LaminaProcess.Result lesson1 = LaminaProcess.run(work, "example", "lesson1");
        assertEquals(0, lesson1.exitCode(), lesson1::toString);
        assertTrue(lesson1.out().contains("y(4) = 9.0"), lesson1::toString);
    }

    @Test
    void backendsListsEveryBackendAndTheDevice() throws Exception {
        LaminaProcess.Result r = LaminaProcess.run(work, "backends");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("cpu") && r.out().contains("usable"), r::toString);
        assertTrue(r.out().contains("auto picks:"), r::toString);
        assertTrue(r.out().contains("Vector API: on"), r::toString);
    }

    @Test
    void benchSaysSoWhenTheComparisonIsNotBuilt() throws Exception {
        assumeTrue(BenchCommand.compareMain() == null, "Compare is on the class path; a real bench run is too slow for a unit test");
        LaminaProcess.Result r = LaminaProcess.run(work, "bench", "--quick");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(1, r.stderr().size(), r::toString);
        assertTrue(r.err().contains(BenchCommand.COMPARE) && r.err().contains("not found"), r::toString);
    }

    @Test
    void benchRunsTheComparisonWithItsArguments() throws Exception {
        LaminaProcess.Result r = LaminaProcess.runWith(List.of("-D" + BenchCommand.MAIN_PROPERTY + "=" + StandInCompare.class.getName()),
                work, "bench", "--quick");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("stand-in comparison ran with [--quick]"), r::toString);
    }

    @Test
    void withoutBackendTheSystemPropertyOrEnvironmentChooses() throws Exception {
        LaminaProcess.Result r = LaminaProcess.runWith(List.of("-Dlamina.backend=reference"), work,
                "train", "--layers", "4", "--epochs", "1", "--verbose", "0", "--out", "m");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Backend: reference"), r::toString);
    }

    @Test
    void cudaWithoutAGpuIsAUsageError() throws Exception {
        assumeFalse(Backends.available().contains("cuda"), "this machine has a usable GPU");
        assertUsageError(List.of("train", "--backend", "cuda", "--epochs", "1", "--out", "out"), "cuda");
    }

    @Test
    void wrongArgumentsExitTwoWithOneLineAndWriteNothing() throws Exception {
        String concrete = data("concrete.csv").toString();
        assertUsageError(List.of("train", concrete, "--target", "strength", "--out", "out"),
                "has no column 'strength'. Its columns are: cement, blast_furnace_slag");
        assertUsageError(List.of("train", "no-such-file.csv", "--out", "out"), "not found");
        assertUsageError(List.of("train", concrete, "--activation", "relux", "--out", "out"), "Unknown activation 'relux'");
        assertUsageError(List.of("train", concrete, "--epochs", "-5", "--out", "out"), "--epochs must be at least 1, got -5");
        assertUsageError(List.of("train", concrete, "--no-such-option"), "Unknown option: '--no-such-option'");
        assertUsageError(List.of("train", concrete, "--epochs", "many"), "--epochs");
        assertUsageError(List.of("train", data("breast_cancer_wisconsin.csv").toString(), "--task", "multiclass",
                "--loss", "binary_crossentropy", "--out", "out"), "does not fit --task multiclass");
        assertUsageError(List.of("predict", "no-such-model", concrete, "--out", "p.csv"), "Model not found");
        assertUsageError(List.of("train", concrete, "--optimizer", "sgd", "--learning-rate", "10", "--layers", "8",
                "--epochs", "20", "--out", "out"), "Training diverged in epoch 1: the loss became");
    }

    /** The run exits 2 with one line on stderr that contains {@code expected}, and leaves the working directory empty. */
    private void assertUsageError(List<String> args, String expected) throws Exception {
        LaminaProcess.Result r = LaminaProcess.run(work, args.toArray(new String[0]));
        String what = "lamina " + String.join(" ", args) + "\n" + r;
        assertEquals(2, r.exitCode(), what);
        assertEquals(1, r.stderr().size(), "one line on stderr: " + what);
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + what);
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), "no stack trace: " + what);
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "nothing written: " + what);
        }
    }

    /** The value of {@code key} on the last progress line that has it ("val_accuracy: 0.9561"). */
    private static double lastValue(String output, String key) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(key) + ": ([0-9.eE+-]+)").matcher(output);
        Double last = null;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        assertTrue(last != null, key + " not in output:\n" + output);
        return last;
    }
}
