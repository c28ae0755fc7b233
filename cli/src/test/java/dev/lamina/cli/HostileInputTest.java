package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lamina.data.Dataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input cases of issue 18, each run as a user would run it (a separate process): a
 * wrong answer with exit 0, a lost run or a mixed directory before the fix. See docs/RELIABILITY.md.
 */
class HostileInputTest {
    /** Small enough that a run is mostly the JVM's start. */
    private static final List<String> TINY = List.of("--layers", "4", "--verbose", "0");
    /** These runs are a second or two of work: C1 alone starts faster, and the results are the same. */
    private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1");

    @TempDir
    Path work;

    /** A regression table a,b,c → y of {@code rows} rows; {@code extra} adds a fourth feature d. */
    private Path table(String name, int rows, boolean extra) throws Exception {
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder(extra ? "a,b,c,d,y\n" : "a,b,c,y\n");
        for (int i = 0; i < rows; i++) {
            double a = r.nextDouble();
            double b = r.nextDouble();
            double c = r.nextDouble();
            sb.append(String.format(Locale.ROOT, extra ? "%.4f,%.4f,%.4f,%.4f,%.4f%n" : "%.4f,%.4f,%.4f,%.4f%n", a, b, c,
                    extra ? a - c : 2 * a - b + c, 2 * a - b + c));
        }
        return Files.writeString(work.resolve(name), sb.toString());
    }

    /** The same features with a class target of {@code classes} values. */
    private Path classes(String name, int classes) throws Exception {
        List<String> lines = Files.readAllLines(table("tmp-" + name, 60, false));
        StringBuilder sb = new StringBuilder("a,b,c,y\n");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            sb.append(line, 0, line.lastIndexOf(',') + 1).append(i % classes).append('\n');
        }
        Files.delete(work.resolve("tmp-" + name));
        return Files.writeString(work.resolve(name), sb.toString());
    }

    private LaminaProcess.Result train(Path data, String out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", data.toString(), "--out", out));
        args.addAll(TINY);
        args.addAll(List.of(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        return lamina(args.toArray(new String[0]));
    }

    private LaminaProcess.Result trained(Path data, String out, String... more) throws Exception {
        LaminaProcess.Result r = train(data, out, more);
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private LaminaProcess.Result lamina(String... args) throws Exception {
        return LaminaProcess.runWith(QUICK_JVM, work, args);
    }

    private LaminaProcess.Result lamina(List<String> jvmOptions, String... args) throws Exception {
        List<String> all = new ArrayList<>(QUICK_JVM);
        all.addAll(jvmOptions);
        return LaminaProcess.runWith(all, work, args);
    }

    /**
     * A model directory as lamina train writes it, made here in the test's JVM (an untrained network
     * predicts as well as a trained one for these checks): {@code features} inputs named a, b, ...
     */
    private Path bundle(String name, Task task, int features, int classes) throws Exception {
        List<String> names = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            names.add(String.valueOf((char) ('a' + f)));
        }
        NetworkSpec network = NetworkSpec.forTask(List.of(4), "relu", 0, false, task, classes);
        float[] labels = new float[classes];
        for (int c = 0; c < classes; c++) {
            labels[c] = c;
        }
        float[] ones = new float[features];
        java.util.Arrays.fill(ones, 1f);
        Preprocessing prep = Preprocessing.of(names, "y", task, task.isClassification() ? new ClassLabels(labels) : null,
                new dev.lamina.data.Standardizer(new float[features], ones), network);
        Path dir = Files.createDirectories(work.resolve(name));
        try (dev.lamina.Sequential model = network.build()) {
            model.setSeed(1);
            model.build(features);
            ModelBundle.write(model, prep, dir, false);
        }
        return dir;
    }

    /** Exit 2, one line on stderr holding every fragment, no stack trace. */
    private static void refused(LaminaProcess.Result r, String... fragments) {
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals(1, r.stderr().size(), () -> "one line on stderr: " + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "expected '" + f + "' in: " + r);
        }
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r::toString);
    }

    @Test
    void duplicateColumnNamesAreRefusedByTrainAndPredict() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(table("base.csv", 40, false)));
        lines.set(0, "a,a,c,y");
        Path dup = Files.write(work.resolve("dup.csv"), lines);
        refused(train(dup, "out"), "dup.csv has more than one column named 'a' (columns 1, 2)");
        assertFalse(Files.exists(work.resolve("out")));
        bundle("m", Task.REGRESSION, 3, 1);
        refused(lamina("predict", "m", "dup.csv"), "more than one column named 'a' (columns 1, 2)");
    }

    @Test
    void onlyDecimalAndScientificNotationAreNumbers() throws Exception {
        // the other spellings (2d, 0x1p2, 1e39, inf) are core's InputValidationTest.csvFiles; here both commands' readers
        Path base = table("base.csv", 40, false);
        bundle("m", Task.REGRESSION, 3, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(base));
        lines.set(3, "1.5f" + lines.get(3).substring(lines.get(3).indexOf(',')));
        Files.write(work.resolve("f.csv"), lines);
        refused(train(work.resolve("f.csv"), "out"), "f.csv, line 4, column 'a': '1.5f' is not a number");
        lines.set(3, lines.get(3).replace("1.5f,", "0x1p2,"));
        Files.write(work.resolve("hex.csv"), lines);
        refused(lamina("predict", "m", "hex.csv"), "hex.csv, line 4, column 'a': '0x1p2' is not a number");
        assertFalse(Files.exists(work.resolve("out")));
    }

    @Test
    void aByteOrderMarkIsStrippedByTrainAndPredict() throws Exception {
        byte[] text = Files.readAllBytes(table("base.csv", 40, false));
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Path bom = Files.write(work.resolve("bom.csv"), withBom);
        bundle("m", Task.REGRESSION, 3, 1);
        LaminaProcess.Result p = lamina("predict", "m", "bom.csv", "--out", "p.csv");
        assertEquals(0, p.exitCode(), p::toString);
        assertEquals(41, Files.readAllLines(work.resolve("p.csv")).size());
        trained(bom, "t", "--target", "a");     // the first column, found by name
    }

    @Test
    void predictSaysWhatWasWrongWithTheFileItWasGiven() throws Exception {
        table("base.csv", 40, false);
        bundle("m", Task.REGRESSION, 3, 1);
        Files.writeString(work.resolve("empty.csv"), "");
        refused(lamina("predict", "m", "empty.csv"), "empty.csv is empty");
        Files.createDirectory(work.resolve("folder"));
        refused(lamina("predict", "m", "folder"), "folder is a directory; give a CSV file");
        // a standard deviation of 0 in preprocessing.json (lamina train writes 1 for a constant column)
        Path prep = work.resolve("m").resolve(ModelBundle.PREPROCESSING_FILE);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(prep.toFile());
        ((ArrayNode) json.get("std")).set(1, 0.0);
        new ObjectMapper().writeValue(prep.toFile(), json);
        refused(lamina("predict", "m", "base.csv"), "preprocessing.json was changed or damaged", "feature 'b'",
                "standard deviation 0.0");
        // the arguments swapped
        refused(lamina("predict", "base.csv", "m"), "base.csv is not a model: give first the directory that lamina train wrote");
        // --out where nothing can be written: refused before the model is read (a directory that a file cannot be made in)
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        refused(lamina("predict", "m", "base.csv", "--out", "/proc/p.csv"), "Cannot write under /proc", "another place for --out");
    }

    @Test
    void aPreprocessingFileWithAKeyTwiceIsRefused() throws Exception {
        Path prep = bundle("m", Task.REGRESSION, 3, 1).resolve(ModelBundle.PREPROCESSING_FILE);
        String json = Files.readString(prep);
        Files.writeString(prep, json.replaceFirst("\\{", "{\n  \"std\" : [ 1.0, 0.5, 1.0 ],"));
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.lamina.LaminaException.class,
                () -> ModelBundle.read(work.resolve("m"))).getMessage();
        assertTrue(m.contains("is not a lamina preprocessing file") && m.contains("Duplicate field 'std'"), m);
    }

    @Test
    void aModelDirectoryWhosePartsComeFromDifferentRunsIsRefused() throws Exception {
        table("base.csv", 60, false);
        bundle("regression", Task.REGRESSION, 3, 1);
        bundle("binary", Task.BINARY, 3, 2);
        bundle("three", Task.MULTICLASS, 3, 3);
        bundle("wide", Task.REGRESSION, 4, 1);
        // as a user meets it: predict exits 2 instead of writing rows wider than the header
        refused(lamina("predict", mixed("three", "binary"), "base.csv", "--out", "p.csv"), "model.safetensors has 3 outputs,"
                + " but preprocessing.json describes a binary model (1 output)", "not from the same lamina train run");
        LaminaProcess.Result wide = lamina("predict", mixed("wide", "regression"), "base.csv");
        refused(wide, "model.safetensors takes 4 inputs, but preprocessing.json lists 3 features");
        assertFalse(wide.err().contains("closed"), wide::toString);
        assertFalse(Files.exists(work.resolve("p.csv")));
        // the other facts the two files share, through the same ModelBundle.read
        assertRefused(mixed("binary", "three"), "has 1 outputs, but preprocessing.json describes a multiclass model of 3 classes");
        assertRefused(mixed("regression", "binary"), "ends in a linear output, but preprocessing.json describes a binary model"
                + " (1 output), which ends in sigmoid");
        assertRefused(mixed("binary", "regression"), "ends in a sigmoid output, but preprocessing.json describes a regression");
    }

    private void assertRefused(String dir, String expected) {
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.lamina.LaminaException.class,
                () -> ModelBundle.read(work.resolve(dir))).getMessage();
        assertTrue(m.contains(expected), m);
    }

    /** A directory with {@code model}'s model file beside {@code prep}'s preprocessing.json. */
    private String mixed(String model, String prep) throws Exception {
        Path mixed = Files.createDirectories(work.resolve("mixed-" + model + "-" + prep));
        Files.copy(work.resolve(model).resolve(ModelBundle.MODEL_FILE), mixed.resolve(ModelBundle.MODEL_FILE));
        Files.copy(work.resolve(prep).resolve(ModelBundle.PREPROCESSING_FILE), mixed.resolve(ModelBundle.PREPROCESSING_FILE));
        return mixed.getFileName().toString();
    }

    @Test
    void aValidationLossThatOverflowsLeavesAGapInTheChartAndTheModelIsWritten() throws Exception {
        // the row that lands in validation after the seeded shuffle gets a target whose square overflows a float
        int rows = 40;
        float[][] index = new float[rows][1];
        for (int i = 0; i < rows; i++) {
            index[i][0] = i;
        }
        Dataset shuffled = new Dataset(index, new float[rows][1], List.of("i"), "y").shuffled(42);
        int validationRow = (int) shuffled.x()[rows - 1][0];
        List<String> lines = new ArrayList<>(Files.readAllLines(table("base.csv", rows, false)));
        String row = lines.get(1 + validationRow);
        lines.set(1 + validationRow, row.substring(0, row.lastIndexOf(',') + 1) + "1e30");
        Files.write(work.resolve("huge.csv"), lines);

        LaminaProcess.Result r = trained(work.resolve("huge.csv"), "m", "--epochs", "2");
        assertTrue(r.err().isEmpty(), r::toString);
        List<String> history = Files.readAllLines(work.resolve("m").resolve("history.csv"));
        assertTrue(history.get(1).contains("Infinity"), String.join("\n", history));
        assertTrue(Files.size(work.resolve("m").resolve(TrainCommand.CHART)) > 0);
        assertTrue(Files.isRegularFile(work.resolve("m").resolve(ModelBundle.MODEL_FILE)));
    }

    @Test
    void anOutputDirectoryThatCannotBeWrittenIsRefusedBeforeTraining() throws Exception {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc.resolve("self")), "a Linux /proc");
        LaminaProcess.Result r = train(table("base.csv", 40, false), "/proc/x");
        refused(r, "Cannot write under /proc", "choose another place for --out.");
        assertFalse(r.out().contains("Data:"), "refused before the data is read: " + r);
    }

    @Test
    void aNetworkTooLargeForTheHeapIsRefusedWithTheFigureAndTheSetting() throws Exception {
        Path base = table("base.csv", 40, false);
        // 9 million parameters: about 250 MB with Adam's state and the rollback copy
        LaminaProcess.Result r = lamina(List.of("-Xmx128m"), "train", base.toString(), "--layers",
                "3000,3000", "--epochs", "1", "--out", "m");
        refused(r, "This run needs about", "9,018,001 parameters", "-Xmx is 128 MB", "LAMINA_JAVA_OPTS=-Xmx", "Nothing was trained");
        assertFalse(r.out().contains("Epoch"), r::toString);
        assertFalse(Files.exists(work.resolve("m")));
        // 900 million: 24 GB, more than most machines have; either way one line with the figure, before any allocation
        r = lamina("train", base.toString(), "--layers", "30000,30000", "--epochs", "1", "--out", "m");
        refused(r, "This run needs about 23.6 GB", "900,180,001 parameters");
        assertFalse(Files.exists(work.resolve("m")));
    }

    @Test
    void aTableTooLargeForTheHeapEndsInOneLine() throws Exception {
        // 8 MB of numbers under a 16 MB heap: the reader runs out before any estimate can be made
        Path big = work.resolve("big.csv");
        String row = "0.123456,1.234567,2.345678,3.456789,4.567891,5.678912,6.789123,7.891234\n";
        Files.writeString(big, "a,b,c,d,e,f,g,y\n" + row.repeat(8_000_000 / row.length()));
        LaminaProcess.Result r = lamina(List.of("-Xmx16m"), "train", "big.csv", "--layers", "4", "--epochs", "1", "--out", "m");
        refused(r, "out of memory", "LAMINA_JAVA_OPTS=-Xmx", "Nothing was written");
        assertFalse(Files.exists(work.resolve("m")));
    }

    @Test
    void aValidationSplitThatLeavesFewTrainingRowsIsWarnedAbout() throws Exception {
        LaminaProcess.Result r = trained(table("base.csv", 60, false), "m", "--validation-split", "0.99");
        assertEquals(1, r.stderr().size(), r::toString);
        assertTrue(r.err().contains("warning: --validation-split 0.99 leaves 1 of 60 rows for training and holds out 59"), r::toString);
        // no warning at the usual split: aValidationLossThatOverflows... checks that stderr stays empty
    }

    @Test
    void filesAreWrittenWithTheModeTheUmaskGives() throws Exception {
        assumeTrue(Files.getFileStore(work).supportsFileAttributeView("posix"), "POSIX permissions");
        trained(table("base.csv", 40, false), "m");
        LaminaProcess.Result p = lamina("predict", "m", "base.csv", "--out", "p.csv");
        assertEquals(0, p.exitCode(), p::toString);
        Set<PosixFilePermission> expected = modeFor(Files.createFile(work.resolve("plain")));
        for (Path f : List.of(work.resolve("m/model.safetensors"), work.resolve("m/preprocessing.json"), work.resolve("m/history.csv"),
                work.resolve("m/learning-curves.png"), work.resolve("p.csv"))) {
            assertEquals(PosixFilePermissions.toString(expected), PosixFilePermissions.toString(modeFor(f)), f.toString());
        }
        Set<PosixFilePermission> dir = modeFor(Files.createDirectory(work.resolve("plain-dir")));
        assertEquals(PosixFilePermissions.toString(dir), PosixFilePermissions.toString(modeFor(work.resolve("m"))));
    }

    private static Set<PosixFilePermission> modeFor(Path p) throws Exception {
        return Files.getPosixFilePermissions(p);
    }

    // ---------------------------------------------------------------- a process killed during the commit

    private static final List<String> FILES = List.of(ModelBundle.MODEL_FILE, ModelBundle.PREPROCESSING_FILE, "history.csv",
            TrainCommand.CHART);

    @Test
    void killedAtAnyStepOfTheCommitTheDirectoryHoldsOneRunOrTheOther() throws Exception {
        Path base = table("base.csv", 40, false);
        Path old = Files.createDirectory(work.resolve("old"));
        for (String f : FILES) {
            Files.writeString(old.resolve(f), "an earlier run's " + f);
        }
        int steps = 7;      // before the commit point, after it, after each of the 4 moves, after removing the journal
        Path reference = copyOf(old, "reference");
        assertEquals(0, trainHaltingAt(steps + 1, reference).exitCode());
        List<byte[]> before = contents(old);
        List<byte[]> after = contents(reference);
        Path dir = copyOf(old, "out");
        for (int k = 1; k <= steps; k++) {
            LaminaProcess.Result r = trainHaltingAt(k, dir);
            assertEquals(137, r.exitCode(), r::toString);
            if (k == 1) {
                assertFalse(StagedOutput.finishInterruptedCommit(dir), "killed before the commit point: no journal");
            } else {
                ModelBundle.read(dir).model().close();  // what predict does first: completes an interrupted commit
            }
            List<byte[]> now = contents(dir);
            assertTrue(same(now, before) || same(now, after), "killed at step " + k + ": a mix of two runs");
            assertEquals(k >= 2, same(now, after), "killed at step " + k + " (the commit point is step 2)");
            try (Stream<Path> left = Files.list(dir)) {
                List<String> hidden = left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
                if (k == 1) {
                    // killed, it could not delete its staging directory: the next run (k = 2, into the same directory) does
                    assertTrue(hidden.size() == 1 && hidden.get(0).startsWith(StagedOutput.STAGING_PREFIX), hidden::toString);
                } else {
                    assertEquals(List.of(), hidden, "killed at step " + k + ": journal completed, stale staging removed");
                    for (String f : FILES) {
                        Files.copy(old.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private Path copyOf(Path dir, String name) throws Exception {
        Path copy = Files.createDirectory(work.resolve(name));
        for (String f : FILES) {
            Files.copy(dir.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    private LaminaProcess.Result trainHaltingAt(int step, Path out) throws Exception {
        return lamina(List.of("-D" + StagedOutput.HALT_PROPERTY + "=" + step), "train", "base.csv", "--out", out.toString(),
                "--layers", "4", "--epochs", "1", "--verbose", "0");
    }

    @Test
    void killedBeforeOrAfterANewDirectoryIsRenamedItIsAbsentOrWhole() throws Exception {
        table("base.csv", 40, false);
        for (int k = 1; k <= 2; k++) {
            Path dir = work.resolve("fresh-" + k);
            assertEquals(137, trainHaltingAt(k, dir).exitCode());
            assertEquals(k == 2, Files.exists(dir), "step " + k);
            for (String f : FILES) {
                assertEquals(k == 2, Files.isRegularFile(dir.resolve(f)), f + " at step " + k);
            }
        }
        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".lamina")).toList(),
                    "the staging directory left at step 1 was removed by the next run beside it");
        }
    }

    private static List<byte[]> contents(Path dir) throws Exception {
        List<byte[]> all = new ArrayList<>();
        for (String f : FILES) {
            all.add(Files.readAllBytes(dir.resolve(f)));
        }
        return all;
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
