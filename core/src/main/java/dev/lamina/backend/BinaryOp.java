package dev.lamina.backend;

/** Element-wise functions of two arguments: {@code out[i] = f(a[i], b[i])}. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN,
    /** 1 where a == b, else 0. */
    EQUAL,
    /** 1 where a > b, else 0. */
    GREATER;

    /** The definition every backend must match. */
    public float apply(float a, float b) {
        switch (this) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            case EQUAL: return a == b ? 1f : 0f;
            case GREATER: return a > b ? 1f : 0f;
            default: throw new AssertionError(this);
        }
    }
}
