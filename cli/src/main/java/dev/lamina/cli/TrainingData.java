package dev.lamina.cli;

import dev.lamina.LaminaException;
import dev.lamina.data.Dataset;
import dev.lamina.data.Standardizer;
import dev.lamina.losses.Loss;
import java.util.List;

/**
 * The rows {@code lamina train} learns from, ready for {@code fit}: shuffled once with the seed, the
 * last {@code validationSplit} of them held out, features standardised with the training rows'
 * statistics only (so nothing leaks from the validation rows), and the target encoded as the loss
 * wants it.
 */
final class TrainingData {
    final Dataset all;
    /** The classes of a classification target; null for regression. */
    final ClassLabels labels;
    final Standardizer scale;
    final float[][] xTrain;
    final float[][] yTrain;
    /** Null when there is no validation split. */
    final float[][] xValid;
    final float[][] yValid;

    private TrainingData(Dataset all, ClassLabels labels, Standardizer scale, float[][] xTrain, float[][] yTrain,
                         float[][] xValid, float[][] yValid) {
        this.all = all;
        this.labels = labels;
        this.scale = scale;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xValid = xValid;
        this.yValid = yValid;
    }

    static TrainingData prepare(Dataset table, Task task, Loss loss, double validationSplit, long seed) {
        Dataset all = table.shuffled(seed);
        ClassLabels labels = task.isClassification() ? ClassLabels.of(all.y(), all.targetName(), task) : null;
        Dataset train = all;
        Dataset valid = null;
        if (validationSplit > 0) {
            Dataset[] parts = all.split(1 - validationSplit);
            if (parts[0].rows() == 0 || parts[1].rows() == 0) {
                throw new LaminaException("--validation-split " + validationSplit + " of " + all.rows()
                        + " rows leaves no rows for training or for validation; choose another fraction.");
            }
            train = parts[0];
            valid = parts[1];
        }
        Standardizer scale = Standardizer.fit(train.x());
        return new TrainingData(all, labels, scale,
                scale.transform(train.x()), targets(train.y(), labels, loss),
                valid == null ? null : scale.transform(valid.x()), valid == null ? null : targets(valid.y(), labels, loss));
    }

    /** The target as the loss wants it: as is for regression, class indices, or one-hot rows for categorical cross-entropy. */
    private static float[][] targets(float[][] y, ClassLabels labels, Loss loss) {
        if (labels == null) {
            return y;
        }
        return loss.name().equals("categorical_crossentropy") ? labels.toOneHot(y) : labels.toIndices(y);
    }

    boolean hasValidation() {
        return xValid != null;
    }

    int features() {
        return xTrain[0].length;
    }

    List<String> featureNames() {
        return all.featureNames();
    }

    String targetName() {
        return all.targetName();
    }

    /** The number of outputs the network needs: one, or one per class for multiclass. */
    int classes() {
        return labels == null ? 1 : labels.count();
    }
}
