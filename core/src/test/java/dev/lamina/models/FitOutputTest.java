package dev.lamina.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.FitOptions;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.callbacks.EarlyStopping;
import dev.lamina.callbacks.TerminateOnNaN;
import dev.lamina.layers.Dense;
import dev.lamina.optimizers.SGD;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Everything fit prints (the progress, EarlyStopping's and TerminateOnNaN's messages) goes to FitOptions.output. */
@ExtendWith(OnReferenceBackend.class)
class FitOutputTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream output = new PrintStream(captured, true, StandardCharsets.UTF_8);
    private final ByteArrayOutputStream stray = new ByteArrayOutputStream();
    private PrintStream systemOut;
    private PrintStream systemErr;

    @BeforeEach
    void watchStandardStreams() {
        systemOut = System.out;
        systemErr = System.err;
        PrintStream s = new PrintStream(stray, true, StandardCharsets.UTF_8);
        System.setOut(s);
        System.setErr(s);
    }

    @AfterEach
    void restoreStandardStreams() {
        System.setOut(systemOut);
        System.setErr(systemErr);
    }

    private String captured() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static float[][][] line(int rows) {
        float[][] x = SaveLoadTest.data(rows, 2, 3);
        float[][] y = new float[rows][1];
        for (int i = 0; i < rows; i++) {
            y[i][0] = 3 * x[i][0] - x[i][1] + 0.5f;
        }
        return new float[][][] {x, y};
    }

    @Test
    void progressAndEarlyStoppingMessagesGoToTheGivenOutput() {
        float[][][] d = line(32);
        float[][][] shifted = line(32);
        for (float[] row : shifted[1]) {
            row[0] += 5;
        }
        EarlyStopping stop = new EarlyStopping().patience(1).restoreBestWeights(true).verbose(true);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile(new SGD(0.1f), "mse");
            m.fit(d[0], d[1], new FitOptions().epochs(100).batchSize(16).validationData(shifted[0], shifted[1])
                    .callbacks(stop).verbose(1).seed(1).output(output));
        }
        String text = captured();
        assertTrue(text.startsWith("Epoch 1/100\n2/2 ━━━━━━━━━━━━━━━━━━━━ "), text);
        assertTrue(text.contains(" - loss: ") && text.contains(" - val_loss: "), text);
        assertTrue(text.contains("Epoch " + (stop.stoppedEpoch() + 1) + ": early stopping\n"), text);
        assertTrue(text.contains("Restoring model weights from the end of the best epoch: " + (stop.bestEpoch() + 1) + "."), text);
        assertEquals("", stray.toString(StandardCharsets.UTF_8), "nothing on System.out or System.err");
    }

    @Test
    void verboseTwoAndTheMissingMonitorWarningGoToTheGivenOutput() {
        float[][][] d = line(16);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile("sgd", "mse");
            m.fit(d[0], d[1], new FitOptions().epochs(2).verbose(2).output(output)
                    .callbacks(new EarlyStopping().monitor("val_loss")));
        }
        String text = captured();
        assertTrue(text.startsWith("Epoch 1/2\n1/1 - "), text);
        assertTrue(text.contains("EarlyStopping: 'val_loss' is not in the logs"), text);
        assertEquals("", stray.toString(StandardCharsets.UTF_8), "nothing on System.out or System.err");
    }

    @Test
    void terminateOnNanReportsToTheGivenOutput() {
        float[][][] d = line(64);
        TerminateOnNaN guard = new TerminateOnNaN();
        try (Sequential m = new Sequential(new Dense(8, "relu"), new Dense(1))) {
            m.compile(new SGD(1e6f), "mse");
            m.fit(d[0], d[1], new FitOptions().epochs(50).batchSize(8).callbacks(guard).verbose(0).seed(3).output(output));
        }
        assertEquals("Batch " + guard.terminatedBatch() + ": Invalid loss, terminating training\n", captured());
        assertEquals("", stray.toString(StandardCharsets.UTF_8), "nothing on System.out or System.err");
    }

    @Test
    void systemOutIsTheDefaultAndNullIsRefused() {
        float[][][] d = line(16);
        try (Sequential m = new Sequential(new Dense(1))) {
            m.compile("sgd", "mse");
            m.fit(d[0], d[1], new FitOptions().epochs(1).verbose(2));
        }
        assertTrue(stray.toString(StandardCharsets.UTF_8).startsWith("Epoch 1/1\n1/1 - "), stray.toString(StandardCharsets.UTF_8));
        LaminaException e = assertThrows(LaminaException.class, () -> new FitOptions().output(null));
        assertTrue(e.getMessage().contains("verbose(0)"), e.getMessage());
    }
}
