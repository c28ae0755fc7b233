package dev.lamina;

/**
 * The error a user of Lamina can cause and fix: a bad name, a shape that does not fit, a file that
 * is not a Lamina model. The message says what is wrong and what to do.
 */
public class LaminaException extends RuntimeException {
    public LaminaException(String message) {
        super(message);
    }

    public LaminaException(String message, Throwable cause) {
        super(message, cause);
    }
}
