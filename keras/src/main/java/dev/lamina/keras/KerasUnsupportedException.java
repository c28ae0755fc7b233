package dev.lamina.keras;

import dev.lamina.io.ModelFileException;

/** A valid Keras file whose model uses something Lamina does not have (a Conv2D, a functional graph, ...). */
public class KerasUnsupportedException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    public KerasUnsupportedException(String message) {
        super(message);
    }
}
