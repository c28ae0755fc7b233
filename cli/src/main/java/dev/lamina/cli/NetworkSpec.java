package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.ActivationKind;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import java.util.List;

/**
 * The shape of the network {@code lamina train} builds, as the course builds it: hidden Dense
 * layers with one activation, each optionally followed by Dropout and BatchNormalization, then an
 * output layer that fits the task.
 *
 * @param hidden           units of each hidden layer (may be empty: the course's single linear unit)
 * @param activation       Keras name of the hidden layers' activation
 * @param dropout          Dropout rate after each hidden layer, 0 for none
 * @param batchNorm        BatchNormalization after each hidden layer
 * @param outputs          width of the output layer
 * @param outputActivation Keras name of the output activation (linear, sigmoid, softmax)
 */
record NetworkSpec(List<Integer> hidden, String activation, double dropout, boolean batchNorm, int outputs,
                   String outputActivation) {

    NetworkSpec {
        hidden = List.copyOf(hidden);
        for (int units : hidden) {
            if (units <= 0) {
                throw new LaminaException("--layers takes positive layer widths such as 512,512,512; got " + units + ".");
            }
        }
        ActivationKind.of(activation); // an unknown name fails here, with the list of known ones
        if (!(dropout >= 0 && dropout < 1)) {
            throw new LaminaException("--dropout is a rate in [0, 1), got " + dropout + ".");
        }
    }

    /** The output layer a task needs: a linear number, one sigmoid probability, or softmax over the classes. */
    static NetworkSpec forTask(List<Integer> hidden, String activation, double dropout, boolean batchNorm, Task task, int classes) {
        switch (task) {
            case BINARY:
                return new NetworkSpec(hidden, activation, dropout, batchNorm, 1, "sigmoid");
            case MULTICLASS:
                return new NetworkSpec(hidden, activation, dropout, batchNorm, classes, "softmax");
            default:
                return new NetworkSpec(hidden, activation, dropout, batchNorm, 1, "linear");
        }
    }

    /** A new, unbuilt model of this shape. */
    Sequential build() {
        Sequential model = new Sequential();
        for (int units : hidden) {
            model.add(new Dense(units, activation));
            // the course's order (lesson 5): Dense, then Dropout, then BatchNormalization
            if (dropout > 0) {
                model.add(new Dropout(dropout));
            }
            if (batchNorm) {
                model.add(new BatchNormalization());
            }
        }
        model.add(new Dense(outputs, outputActivation));
        return model;
    }
}
