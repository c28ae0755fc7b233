package dev.lamina.backend;

/** Element-wise functions of one argument: {@code y[i] = f(x[i])}. */
public enum UnaryOp {
    NEG, ABS, SIGN, SQUARE, SQRT, EXP, LOG, RECIPROCAL,
    /** 1 where x > 0, else 0. */
    STEP;

    /** The definition every backend must match. */
    public float apply(float x) {
        switch (this) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case SIGN: return Math.signum(x);
            case SQUARE: return x * x;
            case SQRT: return (float) Math.sqrt(x);
            case EXP: return (float) Math.exp(x);
            case LOG: return (float) Math.log(x);
            case RECIPROCAL: return 1f / x;
            case STEP: return x > 0 ? 1f : 0f;
            default: throw new AssertionError(this);
        }
    }
}
