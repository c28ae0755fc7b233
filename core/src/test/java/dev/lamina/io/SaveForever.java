package dev.lamina.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A child process for {@link CrashDuringSaveTest}: saves a large file to {@code args[0]} again and
 * again, with every value equal to the save's number, until it is killed.
 */
public final class SaveForever {
    private SaveForever() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int floats = Integer.parseInt(args[1]);
        float[] data = new float[floats];
        System.out.println("started");
        System.out.flush();
        for (int round = 1; ; round++) {
            java.util.Arrays.fill(data, round);
            SafeTensors.write(file, Map.of("round", Integer.toString(round)),
                    List.of(new SafeTensors.Entry("w", new long[] {floats}, data)));
        }
    }
}
