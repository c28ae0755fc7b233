package dev.lamina.cli;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lamina bench}: runs the CPU-versus-GPU comparison of the benchmarks module
 * ({@value #COMPARE}, Step 6) in this JVM. It is looked up by name, so the command line builds
 * and runs whether or not that module has it yet, and says so when it does not. The module's
 * JMH benchmarks live in {@code dev.lamina.bench}, so Compare is looked for there too.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Compare the backends found: a table on screen, bench-results.json and a PNG chart.",
                "On a machine without a GPU it reports the CPU alone."})
final class BenchCommand implements Callable<Integer> {
    static final String COMPARE = "dev.lamina.benchmarks.Compare";
    /** Names another main class to run instead (the tests use a stand-in). */
    static final String MAIN_PROPERTY = "lamina.bench.main";
    private static final List<String> CANDIDATES = List.of(COMPARE, "dev.lamina.bench.Compare");

    @Option(names = "--quick", description = "A short run (about a minute on 2 cores).")
    boolean quick;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws Exception {
        Method main = compareMain();
        if (main == null) {
            System.err.println("lamina bench: the comparison is not in this build: " + COMPARE + " (Step 6, module benchmarks)"
                    + " was not found on the class path.");
            return Main.INTERNAL_ERROR;
        }
        List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        console.println("Running " + main.getDeclaringClass().getName() + (quick ? " --quick" : "") + " ...");
        MainMethods.run(main, args);             // the benchmark's own error is reported by Main
        return Main.OK;
    }

    /** Compare's {@code main(String[])}, or null when the benchmarks module does not have it. */
    static Method compareMain() {
        String chosen = System.getProperty(MAIN_PROPERTY);
        for (String name : chosen != null ? List.of(chosen) : CANDIDATES) {
            try {
                return Class.forName(name).getMethod("main", String[].class);
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                // try the next name
            }
        }
        return null;
    }
}
