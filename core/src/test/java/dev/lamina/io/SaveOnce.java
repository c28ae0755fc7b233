package dev.lamina.io;

import dev.lamina.LaminaException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A child process for {@link CrashDuringSaveTest}: saves one file of {@code args[1]} floats and says how it went. */
public final class SaveOnce {
    private SaveOnce() {
    }

    public static void main(String[] args) {
        int floats = Integer.parseInt(args[1]);
        try {
            SafeTensors.write(Path.of(args[0]), Map.of(), List.of(new SafeTensors.Entry("w", new long[] {floats}, new float[floats])));
            System.out.println("saved");
        } catch (LaminaException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
