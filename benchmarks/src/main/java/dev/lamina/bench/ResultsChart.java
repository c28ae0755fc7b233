package dev.lamina.bench;

import dev.lamina.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Writes {@code bench-results.png}: one bar chart per group (GEMM, ops, training) stacked in one
 * image, one bar colour per backend. The y axes are logarithmic, because a GPU and a CPU, or a
 * 64-float and a 1e7-float op, differ by orders of magnitude and linear bars would hide the small ones.
 */
final class ResultsChart {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 420;

    private ResultsChart() {
    }

    /** Writes the chart; false (and no file) when no group has a figure on every backend. */
    static boolean write(Path file, List<CompareResult> results, List<String> backends, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<CompareResult>> groups = new LinkedHashMap<>();
        results.forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        List<CategoryChart> charts = new ArrayList<>();
        for (List<CompareResult> group : groups.values()) {
            CategoryChart chart = chart(group, backends, subtitle);
            if (!chart.getSeriesMap().isEmpty()) {
                charts.add(chart);
            }
        }
        if (charts.isEmpty()) {
            return false;
        }
        // the temporary name ends in .png, so XChart does not add a second extension
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(charts, charts.size(), 1, tmp.toString(),
                BitmapEncoder.BitmapFormat.PNG));
        return true;
    }

    private static CategoryChart chart(List<CompareResult> group, List<String> backends, String subtitle) {
        CompareResult first = group.get(0);
        // a log axis where the bars span more than a decade (a GPU beside a CPU, a small op beside a
        // large one); within one decade a log axis has no labelled ticks, so the axis is linear from 0
        double smallest = group.stream().mapToDouble(CompareResult::median).min().orElse(1);
        double largest = group.stream().mapToDouble(CompareResult::median).max().orElse(1);
        boolean log = largest > 10 * smallest;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title(first.group()) + " — " + subtitle)
                .xAxisTitle(xTitle(first.group()))
                .yAxisTitle(first.unit() + (log ? " (log scale, higher is better)" : " (higher is better)"))
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisLogarithmic(log);
        // bars start at the axis' minimum, which must be above 0 on a log axis: a power of ten below the data
        styler.setYAxisMin(log ? Math.pow(10, Math.floor(Math.log10(smallest))) : 0.0);
        styler.setXAxisLabelRotation(group.size() > 6 ? 30 : 0);
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(15f));
        // the figure on each bar, where there is room for it
        styler.setLabelsVisible(group.size() <= 16);
        styler.setLabelsRotation(group.size() > 8 ? 90 : 0);
        styler.setDecimalPattern(smallest >= 100 ? "#,##0" : smallest >= 1 ? "#,##0.#" : "0.###");
        // bars only where every backend has a figure (a failed task is in the table and the JSON)
        Map<String, Integer> counts = new LinkedHashMap<>();
        group.forEach(r -> counts.merge(r.name(), 1, Integer::sum));
        for (String backend : backends) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (CompareResult r : group) {
                if (r.backend().equals(backend) && counts.get(r.name()) == backends.size()) {
                    names.add(shortName(r));
                    values.add(r.median());
                }
            }
            if (!names.isEmpty()) {
                chart.addSeries("Lamina " + backend, names, values);
            }
        }
        return chart;
    }

    private static String title(String group) {
        switch (group) {
            case "GEMM": return "Matrix product C = A·B, float32";
            case "Ops": return "Element-wise and row-wise ops, float32";
            default: return "Training, samples per second";
        }
    }

    private static String xTitle(String group) {
        switch (group) {
            case "GEMM": return "shape m×n×k (:TN = A transposed)";
            case "Ops": return "op and elements per call";
            default: return "reference model";
        }
    }

    /** Training rows are long in the table; the chart's axis gets the model's letter and batch. */
    private static String shortName(CompareResult r) {
        if (r.group().equals("Training")) {
            int colon = r.name().indexOf(':');
            int comma = r.name().lastIndexOf(", ");
            return r.name().substring(0, colon) + " (" + r.name().substring(comma + 2) + ")";
        }
        return r.name();
    }
}
