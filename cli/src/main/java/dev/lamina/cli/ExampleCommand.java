package dev.lamina.cli;

import dev.lamina.LaminaException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lamina example}: lists the course's lessons (the classes in {@code dev.lamina.examples})
 * and runs one by a short name, so a newcomer does not need a java command line to try them.
 */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = {"Run one of the course's lessons (dev.lamina.examples); with no NAME, list them."},
        footer = {"", "Examples:", "  lamina example", "  lamina example lesson4"})
final class ExampleCommand implements Callable<Integer> {
    private static final String PACKAGE = "dev.lamina.examples.";

    /** The examples in the course's order: class name and what it shows. */
    static final List<String[]> EXAMPLES = List.of(
            new String[] {"Lesson1LinearUnit", "a single neuron y = w·x + b"},
            new String[] {"DeepNetworkExample", "lesson 2, a deep network (3×512 ReLU) on concrete strength"},
            new String[] {"Lesson3StochasticGradientDescent", "Adam on minibatches, the loss curve epoch by epoch"},
            new String[] {"Lesson4EarlyStopping", "a network that overfits, stopped early with the best weights back"},
            new String[] {"Lesson5DropoutBatchNorm", "dropout and batch normalization make SGD train on raw features"},
            new String[] {"Lesson6BinaryClassification", "sigmoid + binary cross-entropy on breast-cancer data"},
            new String[] {"DigitsClassification", "softmax over ten classes on 8x8 handwritten digits"});

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "The example, by the start of its class name, case-insensitive (lesson4, deep, digits).")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Passed to the example's main method.")
    List<String> args = new ArrayList<>();

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            console.println("The course's lessons, in order (run one with: lamina example NAME):");
            for (String[] e : EXAMPLES) {
                console.printf(Locale.ROOT, "  %-34s %s%n", e[0], e[1]);
            }
            console.println("Their source is in cli/src/main/java/dev/lamina/examples.");
            return Main.OK;
        }
        Method main = find(name).getMethod("main", String[].class);
        MainMethods.run(main, args);
        return Main.OK;
    }

    /** The one example whose class name starts with {@code prefix}, ignoring case. */
    static Class<?> find(String prefix) throws ClassNotFoundException {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<String> matches = new ArrayList<>();
        for (String[] e : EXAMPLES) {
            if (e[0].toLowerCase(Locale.ROOT).equals(p)) {
                return Class.forName(PACKAGE + e[0]);
            }
            if (e[0].toLowerCase(Locale.ROOT).startsWith(p)) {
                matches.add(e[0]);
            }
        }
        if (matches.size() != 1) {
            List<String> all = new ArrayList<>();
            EXAMPLES.forEach(e -> all.add(e[0]));
            throw new LaminaException((matches.isEmpty() ? "No example '" + prefix + "'" : "'" + prefix + "' could be "
                    + String.join(" or ", matches)) + ". Examples: " + String.join(", ", all) + ".");
        }
        return Class.forName(PACKAGE + matches.get(0));
    }
}
