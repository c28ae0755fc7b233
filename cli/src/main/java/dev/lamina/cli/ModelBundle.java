package dev.lamina.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained model as {@code lamina train} leaves it in its output directory: the model file and,
 * beside it, the {@link Preprocessing} that {@code predict} applies to new data first.
 */
final class ModelBundle {
    /** Lamina's model file: safetensors, with the architecture in its metadata (see Sequential.save). */
    static final String MODEL_FILE = "model.safetensors";
    /** The model as a Keras 3 file, with {@code lamina train --save-format keras}. */
    static final String KERAS_FILE = "model.keras";
    static final String PREPROCESSING_FILE = "preprocessing.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)   // "std" twice: refused, not the last one silently
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Sequential model;
    private final Preprocessing preprocessing;

    private ModelBundle(Sequential model, Preprocessing preprocessing) {
        this.model = model;
        this.preprocessing = preprocessing;
    }

    Sequential model() {
        return model;
    }

    /** Null for a Keras file that came without lamina train's preprocessing: its features are used as they are. */
    Preprocessing preprocessing() {
        return preprocessing;
    }

    static boolean isKerasFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".keras") || name.endsWith(".h5") || name.endsWith(".hdf5");
    }

    /** Writes the model ({@code model.safetensors}, or {@code model.keras} when {@code keras}) and its preprocessing into {@code dir}. */
    static void write(Sequential model, Preprocessing preprocessing, Path dir, boolean keras) throws IOException {
        // without the optimizer's state: predict does not need it, and it would triple the file for Adam
        model.save(dir.resolve(keras ? KERAS_FILE : MODEL_FILE), false);
        JSON.writeValue(dir.resolve(PREPROCESSING_FILE).toFile(), preprocessing);
    }

    /** Reads a bundle from the output directory of lamina train, or from the model file inside it. */
    static ModelBundle read(Path modelOrDir) {
        // an interrupted commit is finished first: it decides which model file the directory holds
        finishInterruptedCommit(Files.isDirectory(modelOrDir) ? modelOrDir.toAbsolutePath() : modelOrDir.toAbsolutePath().getParent());
        Path modelFile = !Files.isDirectory(modelOrDir) ? modelOrDir
                : Files.exists(modelOrDir.resolve(MODEL_FILE)) || !Files.exists(modelOrDir.resolve(KERAS_FILE))
                ? modelOrDir.resolve(MODEL_FILE) : modelOrDir.resolve(KERAS_FILE);
        if (!Files.isRegularFile(modelFile)) {
            throw new LaminaException("Model not found: " + modelFile + ". Give the directory that lamina train wrote (--out, default "
                    + TrainCommand.DEFAULT_OUT + ") or the " + MODEL_FILE + " in it.");
        }
        if (!modelFile.getFileName().toString().endsWith(".safetensors") && !isKerasFile(modelFile)) {
            // a table or preprocessing.json given first (the arguments swapped): say so, not "bad safetensors header"
            throw new LaminaException(modelOrDir + " is not a model: give first the directory that lamina train wrote (--out), or the "
                    + MODEL_FILE + " in it, then the table: lamina predict MODEL DATA.csv.");
        }
        Path dir = modelFile.toAbsolutePath().getParent();
        Path prepFile = dir.resolve(PREPROCESSING_FILE);
        if (!Files.isRegularFile(prepFile) && isKerasFile(modelFile)) {
            return new ModelBundle(Sequential.load(modelFile), null);   // a Keras model of numeric features, as they are
        }
        if (!Files.isRegularFile(prepFile)) {
            throw new LaminaException("No " + PREPROCESSING_FILE + " beside " + modelFile + ": predict needs the standardisation that"
                    + " lamina train keeps there. Train again with lamina train --out DIR.");
        }
        Preprocessing preprocessing;
        try {
            preprocessing = JSON.readValue(prepFile.toFile(), Preprocessing.class);
        } catch (IOException e) {
            throw new LaminaException(prepFile + " is not a lamina preprocessing file: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        preprocessing.checked(prepFile.toString());
        Sequential model = Sequential.load(modelFile);
        try {
            BundleCheck.check(model, modelFile, preprocessing, prepFile);
        } catch (RuntimeException e) {
            model.close();  // after the check, which asks the model its widths
            throw e;
        }
        return new ModelBundle(model, preprocessing);
    }

    /** A train killed while putting its files in place left the rest in a journal: put them in place before reading. */
    private static void finishInterruptedCommit(Path dir) {
        try {
            StagedOutput.finishInterruptedCommit(dir);
        } catch (IOException e) {
            throw new LaminaException(dir + " holds the files of a lamina train that was stopped while putting them in place ("
                    + StagedOutput.COMMIT_DIR + "), and they cannot be moved (" + e.getMessage() + "). Run lamina predict where"
                    + " you may write to " + dir + ", which completes it, or train again.", e);
        }
    }
}
