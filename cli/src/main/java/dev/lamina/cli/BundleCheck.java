package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Layer;
import java.nio.file.Path;
import java.util.List;

/**
 * Compares every fact that {@code model.safetensors} and {@code preprocessing.json} both state, so
 * that the files of two different runs put in one directory are refused rather than giving rows
 * wider than their header or predictions of the wrong kind: the number of inputs (features), the
 * number of outputs, and the task, which fixes the output activation and, for classes, the width.
 */
final class BundleCheck {
    private BundleCheck() {
    }

    /** Fails, naming both files and what each says, unless {@code model} fits {@code prep}. */
    static void check(Sequential model, Path modelFile, Preprocessing prep, Path prepFile) {
        String m = modelFile.getFileName().toString();
        String p = prepFile.getFileName().toString();
        int inputs = model.inputWidth();
        if (inputs != prep.features().size()) {
            throw mismatch(modelFile, m + " takes " + inputs + " inputs, but " + p + " lists " + prep.features().size() + " features");
        }
        Task task = prep.taskKind();
        int outputs = model.outputWidth();
        int expected = task == Task.MULTICLASS ? prep.classes().length : 1;
        String described = task == Task.MULTICLASS ? "a multiclass model of " + expected + " classes (" + expected + " outputs)"
                : "a " + task.cliName() + " model (1 output)";
        if (outputs != expected) {
            throw mismatch(modelFile, m + " has " + outputs + " outputs, but " + p + " describes " + described);
        }
        String activation = outputActivation(model);
        String wanted = NetworkSpec.forTask(List.of(), "relu", 0, false, task, expected).outputActivation();
        if (activation != null && !activation.equals(wanted)) {
            throw mismatch(modelFile, m + " ends in a " + activation + " output, but " + p + " describes " + described
                    + ", which ends in " + wanted);
        }
    }

    /** The output layer's activation ("linear", "sigmoid", "softmax"), or null when the last layer is not a Dense. */
    private static String outputActivation(Sequential model) {
        List<Layer> layers = model.layers();
        Layer last = layers.get(layers.size() - 1);
        return last instanceof Dense ? ((Dense) last).activation().kerasName() : null;
    }

    private static LaminaException mismatch(Path modelFile, String what) {
        return new LaminaException(what + " (in " + modelFile.toAbsolutePath().getParent() + "): the two files are not from the same"
                + " lamina train run. Put the files of one run together, or train again.");
    }
}
