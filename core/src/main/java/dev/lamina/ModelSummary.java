package dev.lamina;

import dev.lamina.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders {@link Sequential#summary()} in the layout of Keras 3's {@code model.summary()}. */
final class ModelSummary {
    private static final int NAME = 33;
    private static final int SHAPE = 24;
    private static final int PARAMS = 15;

    private ModelSummary() {
    }

    static String of(Sequential model) {
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append('┏').append("━".repeat(NAME)).append('┳').append("━".repeat(SHAPE)).append('┳').append("━".repeat(PARAMS)).append("┓\n");
        sb.append(row('┃', "Layer (type)", "Output Shape", "Param #"));
        sb.append('┡').append("━".repeat(NAME)).append('╇').append("━".repeat(SHAPE)).append('╇').append("━".repeat(PARAMS)).append("┩\n");
        long total = 0;
        long trainable = 0;
        boolean built = model.isBuilt();
        // before build, an Input at the head gives every width and count, as in Keras' summary
        int width = built ? model.inputWidth() : model.declaredInputWidth();
        boolean known = width > 0;
        var layers = model.layers();
        var names = model.layerNames();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String name = names.get(i) + " (" + layer.className() + ")";
            String shape = "?";
            String params = "0 (unbuilt)";
            if (known) {
                long count = built ? layer.parameterCount() : layer.parameterCountFor(width);
                total += count;
                trainable += built ? layer.trainableParameterCount() : layer.trainableParameterCountFor(width);
                width = built ? layer.outputWidth() : layer.outputWidth(width);
                shape = "(None, " + width + ")";
                params = String.format(Locale.ROOT, "%,d", count);
            }
            sb.append(row('│', name, shape, params));
            if (i < layers.size() - 1) {
                sb.append('├').append("─".repeat(NAME)).append('┼').append("─".repeat(SHAPE)).append('┼').append("─".repeat(PARAMS)).append("┤\n");
            }
        }
        sb.append('└').append("─".repeat(NAME)).append('┴').append("─".repeat(SHAPE)).append('┴').append("─".repeat(PARAMS)).append("┘\n");
        sb.append(" Total params: ").append(count(total)).append('\n');
        sb.append(" Trainable params: ").append(count(trainable)).append('\n');
        sb.append(" Non-trainable params: ").append(count(total - trainable)).append('\n');
        return sb.toString();
    }

    /** One table row; a name too long for its column wraps onto more lines, at spaces, as Keras wraps it. */
    private static String row(char edge, String name, String shape, String params) {
        List<String> lines = wrap(name, NAME - 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(edge).append(' ').append(pad(lines.get(i), NAME - 2)).append(' ').append(edge).append(' ')
              .append(pad(i == 0 ? shape : "", SHAPE - 2)).append(' ').append(edge).append(' ')
              .append(String.format(Locale.ROOT, "%" + (PARAMS - 2) + "s", i == 0 ? params : "")).append(' ').append(edge).append('\n');
        }
        return sb.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {         // a word wider than the column is cut
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    /** "61 (244.00 B)", with float32 bytes in B, KB or MB as Keras prints them. */
    private static String count(long params) {
        double bytes = params * 4.0;
        String size;
        if (bytes < 1024) {
            size = String.format(Locale.ROOT, "%.2f B", bytes);
        } else if (bytes < 1024 * 1024) {
            size = String.format(Locale.ROOT, "%.2f KB", bytes / 1024);
        } else {
            size = String.format(Locale.ROOT, "%.2f MB", bytes / (1024 * 1024));
        }
        return String.format(Locale.ROOT, "%,d", params) + " (" + size + ")";
    }
}
