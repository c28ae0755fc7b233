package dev.lamina.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/** Runs another class's {@code main(String[])} in this JVM, as the bench and example commands do. */
final class MainMethods {
    private MainMethods() {
    }

    /** Calls {@code main} with {@code args}; what it throws comes out as itself, not wrapped by reflection. */
    static void run(Method main, List<String> args) throws Exception {
        try {
            main.invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }
}
