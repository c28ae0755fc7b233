package dev.lamina.cli;

import dev.lamina.History;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a training history as a table: one row per epoch, a column per logged value (as Keras' CSVLogger). */
final class HistoryCsv {
    private HistoryCsv() {
    }

    static void write(History history, Path file) throws IOException {
        List<String> keys = new ArrayList<>(history.keys());
        List<String> header = new ArrayList<>();
        header.add("epoch");
        header.addAll(keys);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            csv.printRecord(header);
            for (int e = 0; e < history.epochs(); e++) {
                List<Object> row = new ArrayList<>();
                row.add(e + 1);
                for (String k : keys) {
                    row.add(history.get(k)[e]);
                }
                csv.printRecord(row);
            }
        }
    }
}
