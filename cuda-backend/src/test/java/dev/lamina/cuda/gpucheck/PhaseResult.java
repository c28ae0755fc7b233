package dev.lamina.cuda.gpucheck;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What one phase of gpu-check found, written by the phase's own JVM into the output folder and
 * read back by {@link GpuCheck}: a Markdown section, a JSON object, a status with its problems, and
 * a few facts the guard needs (counts, the device's kind).
 */
final class PhaseResult {
    enum Status { PASSED, FAILED, SKIPPED }

    final String name;
    final StringBuilder markdown = new StringBuilder();
    final Json.Obj json = new Json.Obj();
    final Properties facts = new Properties();
    final List<String> problems = new ArrayList<>();
    Status status = Status.PASSED;
    String skipReason;

    PhaseResult(String name) {
        this.name = name;
    }

    void fail(String problem) {
        status = Status.FAILED;
        problems.add(problem);
    }

    void skip(String reason) {
        if (status == Status.PASSED) {
            status = Status.SKIPPED;
        }
        skipReason = reason;
    }

    PhaseResult line(String text) {
        markdown.append(text).append('\n');
        return this;
    }

    void fact(String key, Object value) {
        facts.setProperty(key, String.valueOf(value));
    }

    String fact(String key) {
        return facts.getProperty(key);
    }

    int intFact(String key) {
        String v = facts.getProperty(key);
        return v == null ? 0 : Integer.parseInt(v.trim());
    }

    /** Writes {@code phase-NAME.md}, {@code .json} and {@code .properties} into {@code dir}. */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            facts.setProperty("status", status.name());
            if (skipReason != null) {
                facts.setProperty("skipReason", skipReason);
            }
            for (int i = 0; i < problems.size(); i++) {
                facts.setProperty("problem." + i, problems.get(i));
            }
            json.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
            if (skipReason != null) {
                json.put("skip_reason", skipReason);
            }
            json.put("problems", new ArrayList<Object>(problems));
            Files.writeString(dir.resolve("phase-" + name + ".md"), markdown, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("phase-" + name + ".json"), json.toString(), StandardCharsets.UTF_8);
            try (Writer w = Files.newBufferedWriter(dir.resolve("phase-" + name + ".properties"), StandardCharsets.UTF_8)) {
                facts.store(w, "gpu-check phase " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the results of phase " + name + " into " + dir, e);
        }
    }

    /** The phase's results as its JVM wrote them, or null when it wrote none (it crashed or timed out). */
    static PhaseResult read(Path dir, String name) throws IOException {
        Path props = dir.resolve("phase-" + name + ".properties");
        if (!Files.exists(props)) {
            return null;
        }
        PhaseResult r = new PhaseResult(name);
        try (Reader in = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
            r.facts.load(in);
        }
        r.status = Status.valueOf(r.facts.getProperty("status", "FAILED"));
        r.skipReason = r.facts.getProperty("skipReason");
        for (int i = 0; r.facts.getProperty("problem." + i) != null; i++) {
            r.problems.add(r.facts.getProperty("problem." + i));
        }
        r.markdown.append(Files.readString(dir.resolve("phase-" + name + ".md"), StandardCharsets.UTF_8));
        return r;
    }

    /** The JSON object the phase wrote, as raw text for the combined file. */
    static Json.Raw jsonOf(Path dir, String name) throws IOException {
        Path f = dir.resolve("phase-" + name + ".json");
        return Files.exists(f) ? new Json.Raw(Files.readString(f, StandardCharsets.UTF_8)) : null;
    }
}
