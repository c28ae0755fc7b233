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

    Preprocessing preprocessing() {
        return preprocessing;
    }

    /** Writes the model and its preprocessing into {@code dir} (a staging directory: see {@link StagedOutput}). */
    static void write(Sequential model, Preprocessing preprocessing, Path dir) throws IOException {
        // without the optimizer's state: predict does not need it, and it would triple the file for Adam
        model.save(dir.resolve(MODEL_FILE), false);
        JSON.writeValue(dir.resolve(PREPROCESSING_FILE).toFile(), preprocessing);
    }

    /** Reads a bundle from the output directory of lamina train, or from the model file inside it. */
    static ModelBundle read(Path modelOrDir) {
        Path modelFile = Files.isDirectory(modelOrDir) ? modelOrDir.resolve(MODEL_FILE) : modelOrDir;
        finishInterruptedCommit(modelFile.toAbsolutePath().getParent());
        if (!Files.isRegularFile(modelFile)) {
            throw new LaminaException("Model not found: " + modelFile + ". Give the directory that lamina train wrote (--out, default "
                    + TrainCommand.DEFAULT_OUT + ") or the " + MODEL_FILE + " in it.");
        }
        if (!modelFile.getFileName().toString().endsWith(".safetensors")) {
            // a table or preprocessing.json given first (the arguments swapped): say so, not "bad safetensors header"
            throw new LaminaException(modelOrDir + " is not a model: give first the directory that lamina train wrote (--out), or the "
                    + MODEL_FILE + " in it, then the table: lamina predict MODEL DATA.csv.");
        }
        Path dir = modelFile.toAbsolutePath().getParent();
        Path prepFile = dir.resolve(PREPROCESSING_FILE);
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
