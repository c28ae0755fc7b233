package dev.lamina.io;

import dev.lamina.LaminaException;

/** A model or weights file that cannot be read: not safetensors, corrupted, or for another model. */
public class ModelFileException extends LaminaException {
    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
