package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.History;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Tensor;
import dev.lamina.backend.reference.ReferenceBackend;
import dev.lamina.data.CsvReader;
import dev.lamina.data.Standardizer;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Input;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.callbacks.ReduceLROnPlateau;
import dev.lamina.optimizers.Adagrad;
import dev.lamina.optimizers.Adam;
import dev.lamina.optimizers.AdamW;
import dev.lamina.optimizers.LearningRateSchedule;
import dev.lamina.optimizers.SGD;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every class of bad input the reliability issue lists, each refused with a {@link LaminaException}
 * whose message says what is wrong and where. One dynamic test per case, so the report counts them.
 */
@ExtendWith(OnReferenceBackend.class)
class InputValidationTest {
    @TempDir
    Path dir;

    /** A case: what is done, and fragments the error message must contain. */
    private static DynamicTest refused(String name, Runnable action, String... fragments) {
        return DynamicTest.dynamicTest(name, () -> {
            String m = assertThrows(LaminaException.class, action::run, name).getMessage();
            for (String f : fragments) {
                assertTrue(m.contains(f), "message of '" + name + "' lacks '" + f + "': " + m);
            }
        });
    }

    private static Runnable csv(String text, String target) {
        return () -> CsvReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "data.csv", target);
    }

    @TestFactory
    Stream<DynamicTest> csvFiles() {
        return Stream.of(
                refused("ragged row (too few values)", csv("a,b,y\n1,2,3\n4,5\n", null), "data.csv", "line 3", "2 values", "3 columns"),
                refused("ragged row (too many values)", csv("a,b,y\n1,2,3,4\n", null), "data.csv", "line 2", "4 values"),
                refused("non-numeric value", csv("a,b,y\n1,2,3\n4,x,6\n", null), "line 3", "column 'b'", "'x' is not a number"),
                refused("missing value", csv("a,b,y\n1,,3\n", null), "line 2", "column 'b'", "missing"),
                refused("NaN in a feature", csv("a,b,y\nNaN,2,3\n", null), "line 2", "column 'a'", "not a finite number"),
                refused("infinity in the target", csv("a,b,y\n1,2,Infinity\n", null), "line 2", "column 'y'", "not a finite number",
                        "column mean"),
                refused("missing target column", csv("a,b,y\n1,2,3\n", "price"), "no column 'price'", "a, b, y"),
                refused("empty file", csv("", null), "data.csv", "empty"),
                refused("header without data rows", csv("a,b,y\n", null), "no data rows"),
                refused("a single column", csv("y\n1\n", null), "only one column"),
                refused("file not found", () -> CsvReader.read(dir.resolve("absent.csv"), null), "not found", "absent.csv"),
                refused("unterminated quote", csv("a,b,y\n1,\"2,3\n", null), "data.csv"),
                refused("two columns with one name", csv("a,a,c,y\n1,2,3,4\n", null), "data.csv", "more than one column named",
                        "'a' (columns 1, 2)"),
                refused("two pairs of repeated names", csv("a,b,a,b,y\n1,2,3,4,5\n", null), "'a' (columns 1, 3) and 'b' (columns 2, 4)"),
                refused("Java's float suffix", csv("a,b,y\n1.5f,2,3\n", null), "line 2", "column 'a'", "'1.5f' is not a number"),
                refused("Java's double suffix", csv("a,b,y\n1,2d,3\n", null), "column 'b'", "'2d' is not a number"),
                refused("hexadecimal float", csv("a,b,y\n1,2,0x1p2\n", null), "column 'y'", "'0x1p2' is not a number"),
                refused("a number beyond float", csv("a,b,y\n1e39,2,3\n", null), "column 'a'", "too large for a 32-bit float"),
                refused("inf, as NumPy writes it", csv("a,b,y\n1,-inf,3\n", null), "column 'b'", "not a finite number"));
    }

    @TestFactory
    Stream<DynamicTest> standardizers() {
        return Stream.of(
                refused("a standard deviation of 0", () -> new Standardizer(new float[] {0, 0}, new float[] {1, 0}),
                        "column 1 has mean 0.0 and standard deviation 0.0", "positive"),
                refused("a negative standard deviation", () -> new Standardizer(new float[] {0}, new float[] {-2}), "positive"),
                refused("a NaN mean", () -> new Standardizer(new float[] {Float.NaN}, new float[] {1}), "finite"),
                refused("a value that overflows once scaled", () -> new Standardizer(new float[] {0}, new float[] {1e-30f})
                        .transform(new float[][] {{1}, {4e10f}}), "Row 2, column 1: the value 4.0E10", "overflows"));
    }

    @Test
    void decimalAndScientificNotationAreRead() {
        float[][] x = CsvReader.read(new ByteArrayInputStream("a,b,c,d,y\n-1.5,.5,3.,+2.5e-3,1E2\n".getBytes(StandardCharsets.UTF_8)),
                "data.csv", null).x();
        assertEquals(List.of(-1.5f, 0.5f, 3f, 2.5e-3f), List.of(x[0][0], x[0][1], x[0][2], x[0][3]));
    }

    @Test
    void aByteOrderMarkDoesNotHideTheFirstColumn() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "price,size\n1,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(text, 0, all, 3, text.length);
        assertEquals("price", CsvReader.read(new ByteArrayInputStream(all), "excel.csv", "price").targetName());
    }

    @Test
    void unreadableFilesAreRefusedWithTheirName() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder.csv"));
        String m = assertThrows(LaminaException.class, () -> CsvReader.read(folder, null)).getMessage();
        assertTrue(m.contains("folder.csv") && m.contains("is a directory"), m);
        Path gz = dir.resolve("broken.csv.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        m = assertThrows(LaminaException.class, () -> CsvReader.read(gz, null)).getMessage();
        assertTrue(m.contains("broken.csv.gz"), m);
        Path truncated = dir.resolve("truncated.csv.gz");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write("a,b,y\n".repeat(1).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 2000; i++) {
                out.write((i + "," + (i * 7 % 13) + "," + (i % 2) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] whole = bytes.toByteArray();
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        m = assertThrows(LaminaException.class, () -> CsvReader.read(truncated, null)).getMessage();
        assertTrue(m.contains("truncated.csv.gz"), m);
    }

    @Test
    void csvErrorsNameTheFile() throws Exception {
        Path file = dir.resolve("prices.csv");
        Files.writeString(file, "size,rooms,price\n10,2,100\n12,three,120\n");
        String m = assertThrows(LaminaException.class, () -> CsvReader.read(file, "price")).getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("line 3") && m.contains("column 'rooms'"), m);
    }

    private static Sequential compiled(int... units) {
        Sequential m = new Sequential();
        for (int u : units) {
            m.add(new Dense(u));
        }
        m.compile("sgd", "mse");
        return m;
    }

    private static float[][] with(float[][] m, int r, int c, float v) {
        m[r][c] = v;
        return m;
    }

    @TestFactory
    Stream<DynamicTest> matrices() {
        return Stream.of(
                refused("NaN in x", () -> compiled(1).fit(with(new float[4][3], 2, 1, Float.NaN), new float[4][1], 1),
                        "x has NaN at row 2, column 1", "impute"),
                refused("infinity in x", () -> compiled(1).fit(with(new float[4][3], 3, 0, Float.NEGATIVE_INFINITY),
                        new float[4][1], 1), "-Infinity at row 3, column 0"),
                refused("NaN in y", () -> compiled(1).fit(new float[4][3], with(new float[4][1], 1, 0, Float.NaN), 1),
                        "y has NaN at row 1, column 0"),
                refused("infinity in validation y", () -> compiled(1).fit(new float[4][3], new float[4][1],
                        new FitOptions().verbose(0).validationData(new float[2][3], with(new float[2][1], 1, 0, Float.POSITIVE_INFINITY))),
                        "validation y has Infinity at row 1, column 0"),
                refused("NaN in predict's x", () -> {
                    Sequential m = compiled(1);
                    m.build(3);
                    m.predict(with(new float[2][3], 1, 2, Float.NaN));
                }, "row 1, column 2"),
                refused("NaN in evaluate's y", () -> compiled(1).evaluate(new float[2][3], with(new float[2][1], 0, 0, Float.NaN)),
                        "y has NaN at row 0"),
                refused("no rows", () -> compiled(1).fit(new float[0][3], new float[0][1], 1), "no rows"),
                refused("empty validation data", () -> compiled(1).fit(new float[4][3], new float[4][1],
                        new FitOptions().verbose(0).validationData(new float[0][3], new float[0][1])),
                        "validation x and validation y have no rows"),
                refused("validation row counts differ", () -> compiled(1).fit(new float[4][3], new float[4][1],
                        new FitOptions().verbose(0).validationData(new float[3][3], new float[2][1])),
                        "validation x has 3 rows but validation y has 2"),
                refused("no rows to predict", () -> compiled(1).predict(new float[0][3]), "no rows"),
                refused("rows without columns", () -> compiled(1).fit(new float[3][0], new float[3][1], 1), "row 0 has no values"),
                refused("null x", () -> compiled(1).fit(null, new float[3][1], 1), "must not be null"),
                refused("a null row", () -> compiled(1).fit(new float[][] {{1, 2}, null}, new float[2][1], 1), "row 1 is null"),
                refused("ragged x", () -> compiled(1).fit(new float[][] {{1, 2}, {3}}, new float[2][1], 1),
                        "row 1 has 1 values, but 2 are expected"),
                refused("row counts differ", () -> compiled(1).fit(new float[3][2], new float[2][1], 1), "x has 3 rows but y has 2"),
                refused("input width differs from the built model", () -> {
                    Sequential m = compiled(4, 1);
                    m.build(8);
                    m.fit(new float[2][5], new float[2][1], 1);
                }, "x has 5 columns", "built for 8 inputs"),
                refused("input width differs from Input", () -> {
                    Sequential m = new Sequential(new Input(3), new Dense(1));
                    m.compile("sgd", "mse");
                    m.predict(new float[2][4]);
                }, "x has 4 columns", "built for 3 inputs"),
                refused("validation width differs", () -> compiled(1).fit(new float[4][3], new float[4][1],
                        new FitOptions().verbose(0).validationData(new float[2][2], new float[2][1])), "validation x row 0 has 2 values"),
                refused("target width differs from the output", () -> compiled(1).fit(new float[2][3], new float[2][2], 1),
                        "y has 2 columns, but 1 are expected"),
                refused("a class label out of range", () -> {
                    Sequential m = new Sequential(new Dense(3, "softmax"));
                    m.compile("adam", "sparse_categorical_crossentropy");
                    m.fit(new float[2][2], new float[][] {{0}, {3}}, 1);
                }, "row 1 has label 3.0", "0..2"),
                refused("a fractional class label", () -> {
                    Sequential m = new Sequential(new Dense(3, "softmax"));
                    m.compile("adam", "sparse_categorical_crossentropy");
                    m.fit(new float[2][2], new float[][] {{0.5f}, {1}}, 1);
                }, "row 0 has label 0.5"));
    }

    @TestFactory
    Stream<DynamicTest> sizes() {
        List<DynamicTest> cases = new ArrayList<>();
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            cases.add(refused("Dense units " + bad, () -> new Dense(bad), "positive number of units", Integer.toString(bad)));
            cases.add(refused("Input width " + bad, () -> new Input(bad), "positive", Integer.toString(bad)));
            cases.add(refused("build width " + bad, () -> compiled(1).build(bad), "input width must be positive"));
            cases.add(refused("batch size " + bad, () -> new FitOptions().batchSize(bad), "batchSize must be positive"));
            cases.add(refused("Tensor rows " + bad, () -> Tensor.zeros(new ReferenceBackend(), bad == 0 ? -2 : bad, 3),
                    "must not be negative"));
        }
        for (int bad : new int[] {-1, Integer.MIN_VALUE}) {
            cases.add(refused("epochs " + bad, () -> new FitOptions().epochs(bad), "epochs must not be negative"));
        }
        for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            cases.add(refused("validation split " + bad, () -> new FitOptions().validationSplit(bad), "validationSplit must be in [0, 1)"));
            cases.add(refused("dropout rate " + bad, () -> new Dropout(bad), "Dropout rate must be in [0, 1)"));
        }
        for (float bad : new float[] {0f, -0.01f, Float.NaN, Float.POSITIVE_INFINITY}) {
            cases.add(refused("learning rate " + bad, () -> new Adam(bad), "learning rate must be a positive number"));
            cases.add(refused("SGD learning rate " + bad, () -> new SGD(bad), "learning rate"));
        }
        cases.add(refused("SGD momentum NaN", () -> new SGD(0.01f, Float.NaN, false), "momentum must be in [0, 1]"));
        cases.add(refused("Adagrad accumulator NaN", () -> new Adagrad(0.01f, Float.NaN, 1e-7f), "non-negative initial accumulator"));
        cases.add(refused("AdamW weight decay -1", () -> new AdamW(0.01f, -1f), "weight decay"));
        cases.add(refused("clipnorm infinite", () -> new Adam(0.01f).clipNorm(Float.POSITIVE_INFINITY), "clipnorm must be positive"));
        cases.add(refused("clipvalue 0", () -> new Adam(0.01f).clipValue(0f), "clipvalue must be positive"));
        cases.add(refused("decay steps 0", () -> LearningRateSchedule.exponentialDecay(0.1f, 0, 0.9f, false), "decay steps"));
        cases.add(refused("decay rate -1", () -> LearningRateSchedule.exponentialDecay(0.1f, 10, -1f, false), "decay rate"));
        cases.add(refused("cosine alpha 2", () -> LearningRateSchedule.cosineDecay(0.1f, 10, 2f), "alpha in [0, 1]"));
        cases.add(refused("schedule initial rate 0", () -> LearningRateSchedule.cosineDecay(0f, 10, 0f), "positive initial rate"));
        cases.add(refused("a schedule that gives NaN", () -> {
            Sequential m = new Sequential(new Dense(1));
            m.compile(new SGD(0.01f).schedule(step -> step < 2 ? 0.01f : Float.NaN), "mse");
            m.fit(new float[8][2], new float[8][1], new FitOptions().epochs(1).batchSize(2).verbose(0));
        }, "schedule gave NaN at step 2"));
        cases.add(refused("ReduceLROnPlateau patience -1", () -> new ReduceLROnPlateau().patience(-1), "patience must not be negative"));
        cases.add(refused("ReduceLROnPlateau minLr NaN", () -> new ReduceLROnPlateau().minLr(Double.NaN), "minLr"));
        cases.add(refused("EarlyStopping patience -1", () -> new EarlyStopping().patience(-1), "patience must not be negative"));
        cases.add(refused("batch norm momentum 2", () -> new BatchNormalization(2, 1e-3), "momentum in [0, 1]"));
        cases.add(refused("batch norm epsilon 0", () -> new BatchNormalization(0.99, 0), "positive epsilon"));
        cases.add(refused("validation split leaving no training rows", () -> compiled(1).fit(new float[1][2], new float[1][1],
                new FitOptions().verbose(0).validationSplit(0.5)), "leaves no rows"));
        cases.add(refused("verbose 3", () -> new FitOptions().verbose(3), "verbose must be 0, 1 or 2"));
        cases.add(refused("two layers with one name", () -> {
            Sequential m = new Sequential(new Dense(2).name("same"), new Dense(1).name("same"));
            m.build(3);
        }, "Two layers are named 'same'"));
        cases.add(refused("one layer instance in two models", () -> {
            Dense shared = new Dense(2);
            new Sequential(shared, new Dense(1)).build(3);
            new Sequential(new Dense(2), shared);
        }, "Layer Dense(2) 'dense' is already in another model", "one layer instance cannot be used in two models"));
        cases.add(refused("one unbuilt layer instance in two models", () -> {
            Dense shared = new Dense(2);
            new Sequential(shared);
            new Sequential(shared);
        }, "Layer Dense(2) is already in another model"));
        return cases.stream();
    }

    @Test
    void aBatchLargerThanTheDataIsAllowedAsInKeras() {
        try (Sequential m = compiled(1)) {
            History h = m.fit(new float[5][2], new float[5][1], new FitOptions().epochs(2).batchSize(1000).verbose(0));
            assertEquals(2, h.epochs());
        }
    }

    @Test
    void zeroEpochsTrainNothing() {
        try (Sequential m = compiled(1)) {
            assertEquals(0, m.fit(new float[5][2], new float[5][1], new FitOptions().epochs(0).verbose(0)).epochs());
        }
    }

    @Test
    void zeroEpochsGiveAHistoryOfEmptySeries() {
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile("sgd", "mse", "mae");
            History h = m.fit(new float[5][2], new float[5][1], new FitOptions().epochs(0).verbose(0).validationSplit(0.4));
            assertEquals(List.of("loss", "mae", "val_loss", "val_mae"), List.copyOf(h.keys()));
            assertEquals(0, h.get("loss").length);
            assertEquals(0, h.get("val_mae").length);
            String m2 = assertThrows(LaminaException.class, () -> h.last("loss")).getMessage();
            assertTrue(m2.contains("0 epochs"), m2);
            // with epochs, the same keys in the same order
            assertEquals(List.copyOf(h.keys()), List.copyOf(m.fit(new float[5][2], new float[5][1],
                    new FitOptions().epochs(1).verbose(0).validationSplit(0.4)).keys()));
        }
    }
}
