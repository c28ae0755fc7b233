package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.callbacks.Callback;
import dev.lamina.layers.Layer;

/** TEMPORARY until Step 2's Dropout, BatchNormalization and EarlyStopping are merged from main. */
final class Stopgaps {
    private Stopgaps() {
    }

    static Layer dropout(double rate) {
        throw new LaminaException("--dropout needs the Dropout layer, which this build does not have yet.");
    }

    static Layer batchNormalization() {
        throw new LaminaException("--batch-norm needs the BatchNormalization layer, which this build does not have yet.");
    }

    static Callback earlyStopping(String monitor, int patience) {
        throw new LaminaException("--early-stopping needs EarlyStopping, which this build does not have yet.");
    }
}
