package dev.lamina.keras;

import dev.lamina.FitOptions;
import dev.lamina.Sequential;
import dev.lamina.layers.Activation;
import dev.lamina.layers.BatchNormalization;
import dev.lamina.layers.Dense;
import dev.lamina.layers.Dropout;
import dev.lamina.layers.Input;
import dev.lamina.losses.Loss;
import dev.lamina.optimizers.Adagrad;
import dev.lamina.optimizers.Adam;
import dev.lamina.optimizers.AdamW;
import dev.lamina.optimizers.RMSprop;
import dev.lamina.optimizers.SGD;
import java.util.List;
import java.util.Random;

/** Models built and trained in Lamina, to be written as Keras files: each layer, optimizer and loss kind. */
final class LaminaModels {
    static final List<String> NAMES = List.of("regression_adam_bn", "binary_sgd_dropout", "multiclass_rmsprop",
            "activations_adagrad_huber", "adamw_logits_clipnorm", "compiled_untrained", "uncompiled");

    private LaminaModels() {
    }

    /** A fresh, seeded model, trained a few steps where it is compiled. */
    static Sequential build(String name) {
        Sequential m;
        int width;
        switch (name) {
            case "regression_adam_bn":
                m = new Sequential(new Input(width = 5), new Dense(8, "relu").kernelRegularizer(0f, 0.01f), new BatchNormalization(),
                        new Dense(1));
                m.compile(new Adam(0.01f), "mse", "mae");
                break;
            case "binary_sgd_dropout":
                m = new Sequential(new Input(width = 4), new Dense(6, "tanh").kernelInitializer("glorot_normal"), new Dropout(0.2),
                        new Dense(1, "sigmoid"));
                m.compile(new SGD(0.05f, 0.9f, true), "binary_crossentropy", "accuracy");
                break;
            case "multiclass_rmsprop":
                m = new Sequential(new Input(width = 6), new Dense(8, "gelu").kernelInitializer("he_normal").kernelRegularizer(0.001f, 0f),
                        new BatchNormalization(0.9, 0.01), new Dense(3), new Activation("softmax"));
                m.compile(new RMSprop(0.005f, 0.8f, 1e-7f), "sparse_categorical_crossentropy", "accuracy");
                break;
            case "activations_adagrad_huber":
                m = new Sequential(new Input(width = 3), new Dense(4, "selu").kernelInitializer("lecun_normal"), new Dense(4, "swish"),
                        new Dense(4, "leaky_relu").biasInitializer("ones"), new Dense(4, "softplus"), new Dense(4, "elu"),
                        new Dense(4, "sigmoid").kernelInitializer("random_normal"), new Activation("tanh"), new Dense(1));
                m.compile(new Adagrad(0.05f, 0.2f, 1e-7f), Loss.huber(2f), "mse");
                break;
            case "adamw_logits_clipnorm":
                m = new Sequential(new Input(width = 4), new Dense(5, "sigmoid"), new Dense(3));
                m.compile(new AdamW(0.003f, 0.01f).clipNorm(1f), Loss.categoricalCrossentropy(true), "categorical_accuracy");
                break;
            case "compiled_untrained":
                m = new Sequential(new Input(width = 3), new Dense(2, "relu"), new Dense(1));
                m.compile(new Adam(), "mae");
                m.setSeed(3).build(width);
                return m;
            case "uncompiled":
                m = new Sequential(new Input(width = 2), new Dense(3, "relu"), new Dense(2));
                m.setSeed(4).build(width);
                return m;
            default:
                throw new IllegalArgumentException(name);
        }
        m.setSeed(name.length()).build(width);
        float[][][] xy = data(m, 24, name.length());
        m.fit(xy[0], xy[1], new FitOptions().epochs(2).batchSize(8).shuffle(false).verbose(0));
        return m;
    }

    /** Rows for the model's input width and targets its loss takes. */
    static float[][][] data(Sequential m, int rows, long seed) {
        Random r = new Random(seed);
        int width = m.inputWidth();
        int outputs = m.outputWidth();
        float[][] x = new float[rows][width];
        float[][] y = new float[rows][];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            String loss = m.loss() == null ? "mse" : m.loss().name();
            if (loss.startsWith("sparse")) {
                y[i] = new float[] {r.nextInt(outputs)};
            } else if (loss.startsWith("categorical")) {
                y[i] = new float[outputs];
                y[i][r.nextInt(outputs)] = 1f;
            } else if (loss.startsWith("binary")) {
                y[i] = new float[] {x[i][0] > 0 ? 1f : 0f};
            } else {
                y[i] = new float[outputs];
                for (int k = 0; k < outputs; k++) {
                    y[i][k] = x[i][0] - 0.5f * x[i][width - 1] + k;
                }
            }
        }
        return new float[][][] {x, y};
    }

    static boolean hasDropout(Sequential m) {
        return m.layers().stream().anyMatch(l -> l instanceof Dropout);
    }

    static FitOptions oneStep(int rows) {
        return new FitOptions().epochs(1).batchSize(rows).shuffle(false).verbose(0);
    }
}
