package dev.lamina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.LaminaException;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class ExampleCommandTest {
    @Test
    void everyListedExampleHasAMainMethod() throws Exception {
        for (String[] e : ExampleCommand.EXAMPLES) {
            Class<?> c = ExampleCommand.find(e[0]);
            assertTrue(Modifier.isStatic(c.getMethod("main", String[].class).getModifiers()), e[0]);
        }
    }

    @Test
    void aShortNameFindsOneExampleAndAnAmbiguousOneListsThem() throws Exception {
        assertEquals("Lesson4EarlyStopping", ExampleCommand.find("lesson4").getSimpleName());
        assertEquals("DeepNetworkExample", ExampleCommand.find("DEEP").getSimpleName());
        LaminaException e = assertThrows(LaminaException.class, () -> ExampleCommand.find("lesson"));
        assertTrue(e.getMessage().contains("Lesson1LinearUnit or Lesson3"), e.getMessage());
        assertThrows(LaminaException.class, () -> ExampleCommand.find("nope"));
    }
}
