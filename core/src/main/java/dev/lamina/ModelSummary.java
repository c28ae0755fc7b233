package dev.lamina;

import dev.lamina.layers.Layer;
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
        var layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String name = (layer.name() == null ? layer.typeName() : layer.name()) + " (" + layer.className() + ")";
            String shape = built ? "(None, " + layer.outputWidth() + ")" : "?";
            String params = built ? String.format(Locale.ROOT, "%,d", layer.parameterCount()) : "0 (unbuilt)";
            if (built) {
                total += layer.parameterCount();
                trainable += layer.trainableParameterCount();
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

    private static String row(char edge, String name, String shape, String params) {
        return edge + " " + pad(name, NAME - 2) + " " + edge + " " + pad(shape, SHAPE - 2) + " " + edge + " "
                + String.format(Locale.ROOT, "%" + (PARAMS - 2) + "s", params) + " " + edge + "\n";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s.substring(0, width) : s + " ".repeat(width - s.length());
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
