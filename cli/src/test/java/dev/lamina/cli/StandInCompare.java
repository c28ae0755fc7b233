package dev.lamina.cli;

import java.util.Arrays;

/** Stands in for the benchmarks module's Compare in tests of {@code lamina bench}: a real run takes a minute. */
public final class StandInCompare {
    private StandInCompare() {
    }

    public static void main(String[] args) {
        System.out.println("stand-in comparison ran with " + Arrays.toString(args));
    }
}
