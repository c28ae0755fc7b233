package dev.lamina.cuda;

/**
 * Turns JCuda's long {@code UnsatisfiedLinkError} (both load attempts with their stack traces) into
 * the one line a user needs, e.g. "libcuda.so.1: cannot open shared object file: No such file or
 * directory".
 */
final class NativeLoadFailure {
    private NativeLoadFailure() {
    }

    static String summary(Throwable t) {
        String fallback = null;
        for (Throwable e = t; e != null; e = e.getCause()) {
            String message = e.getMessage();
            if (message == null) {
                continue;
            }
            for (String line : message.split("\n")) {
                // "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-...so: libcuda.so.1: cannot open shared object file: ..."
                int so = line.indexOf(".so: ");
                if (so >= 0 && line.contains("UnsatisfiedLinkError")) {
                    return line.substring(so + 5).trim();
                }
            }
            if (fallback == null) {
                fallback = e.getClass().getSimpleName() + ": " + message.split("\n", 2)[0];
            }
        }
        return fallback == null ? t.getClass().getSimpleName() : fallback;
    }
}
