package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.data.Numbers;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code lamina} command. Exit status: 0 done, 2 a mistake the user can fix
 * (one line on stderr, no stack trace), 1 an internal failure (a bug: the stack trace helps).
 */
@Command(name = "lamina",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Deep learning for Java: train a network on a CSV table, predict with it, list the backends, benchmark them.",
        subcommands = {TrainCommand.class, PredictCommand.class, BackendsCommand.class, BenchCommand.class, ExampleCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Start with:  lamina train      (the course's deep network on data/concrete.csv)",
                "Then:        lamina train --help",
                "The course's lessons:  lamina example"})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** With no subcommand: print help and exit 0, as the launcher's contract says. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        Launcher.stopWithLauncher();
        System.exit(run(args));
    }

    /** Runs the command and returns the exit status (tests call this too). */
    public static int run(String... args) {
        Logging.configure();
        try {
            return commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // past MemoryEstimate (a table too large to read, a backend's own buffers): the stack is gone, memory is back
            System.err.println("lamina: " + MemoryEstimate.outOfMemory(e));
            return USAGE_ERROR;
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::badArguments);
        // `lamina example lesson4 --x` passes --x to the example instead of reading it as lamina's option
        cli.getSubcommands().get("example").setStopAtPositional(true);
        cli.setExecutionExceptionHandler(Main::failed);
        // picocli reads numbers with Java's grammar (1.5f, 2d, 0x1p2); options take what a table takes
        CommandLine.ITypeConverter<Double> decimal = Main::decimal;
        cli.registerConverter(Double.class, decimal);
        cli.registerConverter(Double.TYPE, decimal);
        cli.registerConverter(Float.class, text -> decimal(text).floatValue());
        cli.registerConverter(Float.TYPE, text -> decimal(text).floatValue());
        cli.setOut(new PrintWriter(System.out, true));
        cli.setErr(new PrintWriter(System.err, true));
        return cli;
    }

    private static Double decimal(String text) {
        if (!Numbers.isDecimal(text.trim())) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number (decimal or scientific notation,"
                    + " such as 0.001 or 1e-3)");
        }
        return Double.valueOf(text.trim());
    }

    /** Wrong options: one line naming the problem and where to read more. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(prefix(cmd) + oneLine(e.getMessage()) + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
        return USAGE_ERROR;
    }

    /** A LaminaException is a mistake in the input (bad file, column, name): one line. Anything else is a bug. */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (e instanceof LaminaException) {
            cmd.getErr().println(prefix(cmd) + oneLine(e.getMessage()));
            return USAGE_ERROR;
        }
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            // the file system said no (disk full, permissions, a special file): the user's to fix, not a bug
            cmd.getErr().println(prefix(cmd) + "cannot read or write a file: " + oneLine(String.valueOf(e.getMessage()))
                    + " (" + e.getClass().getSimpleName() + "); nothing was written.");
            return USAGE_ERROR;
        }
        cmd.getErr().println(prefix(cmd) + "internal error: " + e + " (please report it with the trace below)");
        e.printStackTrace(cmd.getErr());
        return INTERNAL_ERROR;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    private static String oneLine(String message) {
        return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The version from the jar's manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lamina " + (v == null ? "(development build)" : v) + ", Java " + System.getProperty("java.version")};
        }
    }
}
