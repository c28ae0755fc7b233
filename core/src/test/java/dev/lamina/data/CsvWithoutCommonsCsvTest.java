package dev.lamina.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Commons CSV is optional in lamina-core: an application without it gets, from CsvReader, a
 * message that says what to add, not a NoClassDefFoundError.
 */
class CsvWithoutCommonsCsvTest {

    @Test
    void withoutCommonsCsvCsvReaderSaysWhatToAdd() throws Exception {
        URL core = CsvReader.class.getProtectionDomain().getCodeSource().getLocation();
        // lamina-core alone: its classes and the JDK, none of its dependencies
        try (URLClassLoader alone = new URLClassLoader(new URL[] {core}, ClassLoader.getPlatformClassLoader())) {
            Class<?> reader = Class.forName(CsvReader.class.getName(), true, alone);
            Method read = reader.getMethod("read", InputStream.class, String.class, String.class);
            InputStream csv = new ByteArrayInputStream("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> read.invoke(null, csv, "t.csv", null));
            Throwable cause = e.getCause();
            assertEquals("dev.lamina.LaminaException", cause.getClass().getName(), String.valueOf(cause));
            assertTrue(cause.getMessage().contains("add the dependency org.apache.commons:commons-csv (1.13.0 or newer"),
                    cause.getMessage());
        }
    }

    @Test
    void withCommonsCsvItReads() {
        Dataset d = CsvReader.read(new ByteArrayInputStream("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)), "t.csv", null);
        assertEquals(1, d.x().length);
    }
}
