package dev.lamina.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code bench-results.json}: when and where it ran, every backend found (usable or not,
 * and why), the harness' settings, every result with each run's rate, and the tasks that failed. Written to a temporary
 * file and renamed, so a failed run leaves no half-written file.
 */
final class ResultsJson {
    private ResultsJson() {
    }

    static void write(Path file, String mode, MachineInfo machine, Map<String, String> backendsFound,
                      Map<String, String> descriptions, Harness harness, List<CompareResult> results,
                      List<String> failures) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("date", Instant.now().toString());
        root.put("mode", mode);
        ObjectNode m = root.putObject("machine");
        m.put("cpu", machine.cpu);
        m.put("cores", machine.cores);
        m.put("os", machine.os);
        m.put("jdk", machine.jdk);
        ArrayNode flags = m.putArray("jvmArgs");
        machine.jvmArgs.forEach(flags::add);
        ObjectNode backends = root.putObject("backends");
        backendsFound.forEach((name, status) -> {
            ObjectNode b = backends.putObject(name);
            b.put("status", status);
            if (descriptions.containsKey(name)) {
                b.put("description", descriptions.get(name));
            }
        });
        ObjectNode h = root.putObject("harness");
        h.put("warmupMillis", harness.warmupNanos / 1_000_000);
        h.put("runMillis", harness.runNanos / 1_000_000);
        h.put("runs", harness.runs);
        h.put("statistic", "median of the runs' rates; higher is better");
        ArrayNode list = root.putArray("results");
        for (CompareResult r : results) {
            ObjectNode o = list.addObject();
            o.put("group", r.group());
            o.put("name", r.name());
            o.put("unit", r.unit());
            o.put("backend", r.backend());
            o.put("median", r.median());
            ArrayNode runs = o.putArray("runs");
            for (double v : r.runs()) {
                runs.add(v);
            }
        }
        ArrayNode failed = root.putArray("failures");
        failures.forEach(failed::add);
        AtomicFiles.write(file, tmp -> mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root));
    }
}
