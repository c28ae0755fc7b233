package dev.lamina.data;

import dev.lamina.LaminaException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * The one way Lamina reads a table (training data in {@link CsvReader}, new rows in {@code lamina
 * predict}), so every table gets the same checks: a header row of distinct names (a UTF-8 byte order
 * mark removed), rows as wide as the header, and numbers in decimal or scientific notation only.
 * Each problem is reported with the file, line and column. Iterate over it for the data rows.
 */
public final class CsvTable implements Closeable, Iterable<CsvTable.Row> {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
            .setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get();

    private final String source;
    private final CSVParser parser;
    private final List<String> header;

    private CsvTable(String source, CSVParser parser) {
        this.source = source;
        this.parser = parser;
        this.header = List.copyOf(parser.getHeaderNames());
        if (header.isEmpty()) {
            throw new LaminaException(source + " is empty: expected a header row of column names and data rows.");
        }
        refuseDuplicateNames();
    }

    /** Opens {@code file} (gzip-compressed when its name ends in ".gz"); close it when done. */
    public static CsvTable open(Path file) {
        if (Files.isDirectory(file)) {
            throw new LaminaException(file + " is a directory; give a CSV file (.csv or .csv.gz).");
        }
        if (!Files.exists(file)) {
            throw new LaminaException("Data file not found: " + file.toAbsolutePath() + ".");
        }
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return open(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new LaminaException("Data file not found: " + file.toAbsolutePath() + ".");
        } catch (IOException e) {
            closeQuietly(in);
            throw new LaminaException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** Reads a CSV stream; {@code source} names it in error messages. Closing the table closes the stream. */
    public static CsvTable open(InputStream in, String source) {
        try {
            Reader reader = withoutByteOrderMark(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new CsvTable(source, CSVParser.parse(reader, FORMAT));
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(in);
            throw new LaminaException("Cannot read " + source + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            closeQuietly(in);
            throw new LaminaException(source + " is not a valid CSV table: " + e.getMessage(), e);
        } catch (LaminaException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** The file or stream name used in messages. */
    public String source() {
        return source;
    }

    /** The column names, in file order, all different. */
    public List<String> header() {
        return header;
    }

    /** The position of the column called {@code name}, or -1. */
    public int column(String name) {
        return header.indexOf(name);
    }

    /** "{@code source} has no column 'x'..." with the columns it does have. */
    public LaminaException noColumn(String name, String why) {
        return new LaminaException(source + " has no column '" + name + "'" + why + ". Its columns are: "
                + String.join(", ", header) + ".");
    }

    /** The data rows, each checked to be as wide as the header. Errors in the CSV syntax are reported as they are met. */
    @Override
    public Iterator<Row> iterator() {
        Iterator<CSVRecord> records = parser.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return records.hasNext();
                } catch (UncheckedIOException e) {
                    throw new LaminaException("Cannot read " + source + ": " + e.getMessage(), e);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new LaminaException(source + " is not a valid CSV table: " + e.getMessage(), e);
                }
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CSVRecord record = records.next();
                long line = parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    throw new LaminaException(source + ", line " + line + ": " + record.size() + " values, but the header has "
                            + header.size() + " columns.");
                }
                return new Row(record, line);
            }
        };
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // reading is over; a failure to close a read-only stream loses nothing
        }
    }

    /** One data row. */
    public final class Row {
        private final CSVRecord record;
        private final long line;

        private Row(CSVRecord record, long line) {
            this.record = record;
            this.line = line;
        }

        /** The line of the file the row ends on, for messages. */
        public long line() {
            return line;
        }

        /** The value of column {@code column} as a finite float; anything else is refused with the line and column. */
        public float number(int column) {
            return Numbers.parse(record.get(column), source + ", line " + line + ", column '" + header.get(column) + "'");
        }
    }

    /** The same name twice would make a lookup by name (predict's) pick the first twice: refuse it, naming them. */
    private void refuseDuplicateNames() {
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            positions.computeIfAbsent(header.get(c), k -> new ArrayList<>()).add(c + 1);
        }
        List<String> repeated = new ArrayList<>();
        positions.forEach((name, at) -> {
            if (at.size() > 1) {
                repeated.add("'" + name + "' (columns " + join(at) + ")");
            }
        });
        if (!repeated.isEmpty()) {
            throw new LaminaException(source + " has more than one column named " + String.join(" and ", repeated)
                    + "; every column needs its own name, as the model finds its columns by name. Rename them.");
        }
    }

    private static String join(List<Integer> numbers) {
        List<String> parts = new ArrayList<>();
        numbers.forEach(n -> parts.add(Integer.toString(n)));
        return String.join(", ", parts);
    }

    /**
     * Skips a UTF-8 byte order mark (spreadsheet programs write one), which would otherwise become
     * part of the first column's name and hide it from a lookup by name.
     */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the error being reported matters more
            }
        }
    }
}
