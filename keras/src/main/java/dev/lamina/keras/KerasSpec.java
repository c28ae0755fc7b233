package dev.lamina.keras;

import dev.lamina.layers.Layer;
import dev.lamina.losses.Loss;
import dev.lamina.optimizers.Optimizer;
import java.util.List;

/**
 * A Keras model translated into Lamina's terms, before anything is allocated: the layers (named, not
 * built), the input width, and the compile settings when the file has them.
 */
final class KerasSpec {
    final String name;
    final int inputWidth;
    final List<Layer> layers;
    /** Null when the file holds no compile settings. */
    final Compiled compiled;

    KerasSpec(String name, int inputWidth, List<Layer> layers, Compiled compiled) {
        this.name = name;
        this.inputWidth = inputWidth;
        this.layers = layers;
        this.compiled = compiled;
    }

    /** What {@code model.compile(...)} gets. */
    static final class Compiled {
        final Optimizer optimizer;
        final Loss loss;
        final List<String> metrics;

        Compiled(Optimizer optimizer, Loss loss, List<String> metrics) {
            this.optimizer = optimizer;
            this.loss = loss;
            this.metrics = metrics;
        }
    }
}
