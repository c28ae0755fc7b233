package dev.lamina.cuda;

import java.util.StringJoiner;

/**
 * The last kernels queued since the stream was last seen idle. A kernel that faults is reported
 * by the next synchronising call, not by its launch, so that error names these candidates.
 * Recording a launch stores a reference to the kernel's constant name: no allocation.
 */
final class LaunchLog {
    private static final int KEPT = 6;

    private final String[] names = new String[KEPT];
    private int next;
    private long count;

    void add(String name) {
        names[next] = name;
        next = (next + 1) % KEPT;
        count++;
    }

    /** The stream is idle: nothing queued can fault any more. */
    void clear() {
        java.util.Arrays.fill(names, null);
        count = 0;
    }

    /** "; kernels queued since the GPU was last idle (newest last): a, b (2 in all)", or "" when none. */
    String describe() {
        if (count == 0) {
            return "";
        }
        StringJoiner joiner = new StringJoiner(", ");
        for (int i = 0; i < KEPT; i++) {
            String name = names[(next + i) % KEPT];
            if (name != null) {
                joiner.add(name);
            }
        }
        return "; kernels queued since the GPU was last idle (newest last): " + joiner + " (" + count + " in all)";
    }
}
