package dev.lamina.keras;

import dev.lamina.io.ModelFileException;

/** A file that is not a well-formed Keras file: a broken archive, missing entries, malformed JSON or HDF5. */
public class KerasFileFormatException extends ModelFileException {
    private static final long serialVersionUID = 1L;

    public KerasFileFormatException(String message) {
        super(message);
    }

    public KerasFileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
