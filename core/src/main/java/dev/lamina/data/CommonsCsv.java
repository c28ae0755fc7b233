package dev.lamina.data;

import dev.lamina.LaminaException;

/**
 * Apache Commons CSV is an optional dependency of lamina-core: only {@link CsvReader} needs it,
 * and an application that reads no CSV (or reads it its own way) should not get it, nor the
 * commons-io and commons-codec it brings. Without it, {@link CsvReader} says what to add.
 */
final class CommonsCsv {
    /** The oldest release with every call CsvReader makes ({@code CSVFormat.Builder.get()}). */
    static final String OLDEST = "1.13.0";

    private CommonsCsv() {
    }

    static void require() {
        try {
            Class.forName("org.apache.commons.csv.CSVFormat", false, CommonsCsv.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new LaminaException("CsvReader needs Apache Commons CSV, which is not on the class path: add the "
                    + "dependency org.apache.commons:commons-csv (" + OLDEST + " or newer, e.g. 1.14.1). lamina-core "
                    + "declares it optional, so that applications that read no CSV do not get it.");
        }
    }
}
