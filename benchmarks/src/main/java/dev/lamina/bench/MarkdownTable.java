package dev.lamina.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Compare}'s table: one row per task, one column per backend (median rate), and, when a GPU
 * backend was measured beside the CPU, its speed-up over the CPU.
 */
final class MarkdownTable {
    private MarkdownTable() {
    }

    static String of(List<CompareResult> results, List<String> backends) {
        Map<String, Map<String, CompareResult>> rows = new LinkedHashMap<>();
        for (CompareResult r : results) {
            rows.computeIfAbsent(r.group() + '\u0000' + r.name(), k -> new LinkedHashMap<>()).put(r.backend(), r);
        }
        List<String> others = new ArrayList<>(backends);
        boolean speedUp = others.remove("cpu") && !others.isEmpty();

        StringBuilder out = new StringBuilder("| group | benchmark | unit |");
        backends.forEach(b -> out.append(' ').append(b).append(" |"));
        others.forEach(b -> out.append(speedUp ? " " + b + " ÷ cpu |" : ""));
        out.append("\n|---|---|---|").append("---:|".repeat(backends.size() + (speedUp ? others.size() : 0))).append('\n');
        for (Map<String, CompareResult> row : rows.values()) {
            CompareResult any = row.values().iterator().next();
            out.append("| ").append(any.group()).append(" | ").append(any.name()).append(" | ").append(any.unit()).append(" |");
            for (String b : backends) {
                CompareResult r = row.get(b);
                out.append(' ').append(r == null ? "–" : number(r.median())).append(" |");
            }
            if (speedUp) {
                CompareResult cpu = row.get("cpu");
                for (String b : others) {
                    CompareResult r = row.get(b);
                    out.append(' ').append(r == null || cpu == null ? "–"
                            : String.format(Locale.ROOT, "%.2f×", r.median() / cpu.median())).append(" |");
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Three significant figures or so, with thousands separated: 1,234,567 / 123 / 12.3 / 1.23. */
    static String number(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }
}
