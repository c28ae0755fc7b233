package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options take numbers as tables do: decimal or scientific notation, not Java's 1.5f, 2d or 0x1p2. */
class OptionNumbersTest {
    private static TrainCommand parsed(String... args) {
        CommandLine.ParseResult r = Main.commandLine().parseArgs(args);
        return (TrainCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void decimalAndScientificNotationAreRead() {
        TrainCommand t = parsed("train", "--learning-rate", "1e-3", "--dropout", ".25", "--validation-split", "0.1");
        assertEquals(1e-3f, t.learningRate);
        assertEquals(0.25, t.dropout);
        assertEquals(0.1, t.validationSplit);
    }

    @Test
    void javaOnlySpellingsAreRefused() {
        for (List<String> args : List.of(List.of("--learning-rate", "1e-3f"), List.of("--dropout", "0x0.1p0"),
                List.of("--validation-split", "0.2d"), List.of("--learning-rate", "NaN"))) {
            CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                    () -> parsed("train", args.get(0), args.get(1)));
            assertTrue(e.getMessage().contains("'" + args.get(1) + "' is not a number"), e.getMessage());
        }
    }
}
