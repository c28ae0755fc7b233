package dev.lamina.cli;

import dev.lamina.History;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The learning curves of a training run as a PNG: the loss per epoch on the training and the
 * validation rows, and beside it the first metric (mae, accuracy) the same way. Reading the two
 * curves together is how the course teaches to spot under- and overfitting.
 */
final class LearningCurveChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 440;
    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color ORANGE = new Color(255, 127, 14);

    private LearningCurveChart() {
    }

    /**
     * Writes the chart; {@code lossName} labels the loss axis ("mean_squared_error") and {@code what}
     * names the run in the titles ("concrete.csv → compressive_strength").
     */
    static void write(History history, String lossName, String what, Path png) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        panels.add(panel(history, "loss", "Loss (" + what + ")", "loss: " + lossName));
        String metric = firstMetric(history);
        if (metric != null) {
            panels.add(panel(history, metric, metricTitle(metric) + " (" + what + ")", metric));
        }
        BufferedImage image = new BufferedImage(WIDTH * panels.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), i * WIDTH, 0, null);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    /** The first logged value that is neither the loss nor a validation twin ("mae", "accuracy"), or null. */
    static String firstMetric(History history) {
        for (String k : history.keys()) {
            if (!k.equals("loss") && !k.startsWith("val_")) {
                return k;
            }
        }
        return null;
    }

    static XYChart panel(History history, String key, String title, String yLabel) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yLabel).build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        // below the plot: inside it, the legend would hide a curve that rises (accuracy) or falls to a corner
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        // XChart picks round tick values (0, 10, 20 or 1, 1.5, 2); label only whole epochs (XChart cannot draw "")
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> x == Math.rint(x) ? Long.toString(Math.round(x)) : " ");
        chart.getStyler().setYAxisDecimalPattern("#,##0.####");
        chart.getStyler().setMarkerSize(history.epochs() > 40 ? 0 : 5);
        double[] epochs = new double[history.epochs()];
        for (int e = 0; e < epochs.length; e++) {
            epochs[e] = e + 1;
        }
        if (epochs.length > 2) {
            // XChart puts a tick on every other data point when the x values are equally spaced, and
            // past 40 epochs their labels run together; nudging the last point by a thousandth of an
            // epoch (invisible) makes it choose round ticks (10, 20, 30) instead
            epochs[epochs.length - 1] += 1e-3;
        }
        List<String> notDrawn = new ArrayList<>();
        addCurve(chart, "training", epochs, history.get(key), SeriesMarkers.CIRCLE, BLUE, notDrawn);
        if (history.has("val_" + key)) {
            addCurve(chart, "validation", epochs, history.get("val_" + key), SeriesMarkers.DIAMOND, ORANGE, notDrawn);
        }
        if (!notDrawn.isEmpty()) {
            chart.setTitle(title + " [" + String.join("; ", notDrawn) + "]");
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries(" ", new double[] {1}, new double[] {0}).setShowInLegend(false); // XChart cannot draw no series
        }
        return chart;
    }

    /**
     * Adds one curve. A value that is not finite (a validation loss that overflowed to infinity)
     * cannot be placed on an axis: it is left out as a gap, and {@code notDrawn} says which epochs.
     * A chart must never cost the run its model.
     */
    private static void addCurve(XYChart chart, String name, double[] epochs, double[] values, org.knowm.xchart.style.markers.Marker marker,
                                 Color color, List<String> notDrawn) {
        double[] ys = values.clone();
        List<String> gaps = new ArrayList<>();
        for (int e = 0; e < ys.length; e++) {
            if (!Double.isFinite(ys[e])) {
                gaps.add(Integer.toString(e + 1));
                ys[e] = Double.NaN;      // XChart draws NaN as a gap
            }
        }
        if (!gaps.isEmpty()) {
            notDrawn.add(name + " not finite at epoch" + (gaps.size() > 1 ? "s " : " ") + abbreviated(gaps) + ", not drawn");
        }
        if (gaps.size() == ys.length) {
            return;
        }
        XYSeries series = chart.addSeries(name, epochs, ys);
        series.setMarker(marker);
        series.setLineColor(color);
        series.setMarkerColor(color);
    }

    private static String abbreviated(List<String> epochs) {
        return epochs.size() <= 5 ? String.join(", ", epochs) : String.join(", ", epochs.subList(0, 5)) + ", ...";
    }

    private static String metricTitle(String key) {
        switch (key) {
            case "mae":
                return "Mean absolute error";
            case "mse":
                return "Mean squared error";
            default:
                return key.substring(0, 1).toUpperCase(Locale.ROOT) + key.substring(1).replace('_', ' ');
        }
    }
}
