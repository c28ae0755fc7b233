package dev.lamina.cli;

import dev.lamina.examples.DeepNetworkExample;

/** Entry point of the {@code lamina} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("Usage: lamina train [DATA.csv [EPOCHS]]   train the course's deep network (default: data/concrete.csv)");
            return;
        }
        if (args[0].equals("train")) {
            DeepNetworkExample.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.err.println("lamina: unknown command '" + args[0] + "'. Try: lamina train");
        System.exit(2);
    }
}
