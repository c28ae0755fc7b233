package dev.lamina.data;

import dev.lamina.LaminaException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a numeric CSV table with a header row (optionally gzip-compressed, by the ".gz" suffix)
 * into a {@link Dataset}. Every problem is reported with the file, line and column.
 */
public final class CsvReader {
    private CsvReader() {
    }

    /** Reads {@code file}; {@code target} names the target column (null: the last column). */
    public static Dataset read(Path file, String target) {
        if (!Files.exists(file)) {
            throw new LaminaException("Data file not found: " + file.toAbsolutePath() + ".");
        }
        try (InputStream in = open(file)) {
            return read(in, file.toString(), target);
        } catch (NoSuchFileException e) {
            throw new LaminaException("Data file not found: " + file.toAbsolutePath() + ".");
        } catch (IOException e) {
            throw new LaminaException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Reads a CSV stream; {@code source} names it in error messages. */
    public static Dataset read(InputStream in, String source, String target) {
        CommonsCsv.require();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        try (Reader reader = withoutByteOrderMark(new InputStreamReader(in, StandardCharsets.UTF_8));
             CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw new LaminaException(source + " is empty: expected a header row of column names and data rows.");
            }
            if (header.size() < 2) {
                throw new LaminaException(source + " has only one column (" + header.get(0)
                        + "); expected feature columns and a target column, comma-separated.");
            }
            int targetIndex = target == null ? header.size() - 1 : header.indexOf(target);
            if (targetIndex < 0) {
                throw new LaminaException(source + " has no column '" + target + "'. Its columns are: "
                        + String.join(", ", header) + ".");
            }
            List<String> features = new ArrayList<>(header);
            features.remove(targetIndex);
            List<float[]> xs = new ArrayList<>();
            List<float[]> ys = new ArrayList<>();
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                if (record.size() != header.size()) {
                    throw new LaminaException(source + ", line " + line + ": " + record.size() + " values, but the header has "
                            + header.size() + " columns.");
                }
                float[] row = new float[features.size()];
                float label = 0;
                for (int c = 0, f = 0; c < header.size(); c++) {
                    float v = parse(source, line, header.get(c), record.get(c));
                    if (c == targetIndex) {
                        label = v;
                    } else {
                        row[f++] = v;
                    }
                }
                xs.add(row);
                ys.add(new float[] {label});
            }
            if (xs.isEmpty()) {
                throw new LaminaException(source + " has a header but no data rows.");
            }
            return new Dataset(xs.toArray(new float[0][]), ys.toArray(new float[0][]), features, header.get(targetIndex));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new LaminaException("Cannot read " + source + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new LaminaException(source + " is not a valid CSV table: " + e.getMessage(), e);
        }
    }

    /**
     * Skips a UTF-8 byte order mark (spreadsheet programs write one), which would otherwise become
     * part of the first column's name and hide it from a lookup by name.
     */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        java.io.PushbackReader pushback = new java.io.PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    private static float parse(String source, long line, String column, String text) {
        if (text.isEmpty()) {
            throw new LaminaException(source + ", line " + line + ", column '" + column
                    + "': the value is missing. Fill or drop rows with missing values first.");
        }
        float v;
        try {
            v = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new LaminaException(source + ", line " + line + ", column '" + column + "': '" + text
                    + "' is not a number. Every column must be numeric; encode categories as numbers first.");
        }
        if (!Float.isFinite(v)) {
            throw new LaminaException(source + ", line " + line + ", column '" + column + "': " + text
                    + " is not a finite number. Replace NaN or infinite values (e.g. with the column mean) first.");
        }
        return v;
    }
}
