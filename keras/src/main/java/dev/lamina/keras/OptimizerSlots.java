package dev.lamina.keras;

import dev.lamina.Sequential;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Layer;
import dev.lamina.layers.Parameter;
import dev.lamina.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's optimizer state in Keras' order: for each trainable weight, in model order, the
 * optimizer's slots (Adam: momentum then velocity). Keras 3 names them as Lamina keeps them.
 */
final class OptimizerSlots {
    /** One slot array of one weight. */
    static final class Slot {
        final Layer layer;
        final Parameter parameter;
        final String name;
        final long[] shape;
        final float[] values;

        Slot(Layer layer, Parameter parameter, String name, long[] shape, float[] values) {
            this.layer = layer;
            this.parameter = parameter;
            this.name = name;
            this.shape = shape;
            this.values = values;
        }
    }

    final long iterations;
    final List<Slot> slots = new ArrayList<>();

    private OptimizerSlots(long iterations) {
        this.iterations = iterations;
    }

    /** The state as it is; a model not trained yet gets each slot's starting value (Adagrad's accumulator, zeros). */
    static OptimizerSlots of(Sequential model) {
        Optimizer optimizer = model.optimizer();
        OptimizerSlots out = new OptimizerSlots(optimizer.iterations());
        String[] names = Arrays.copyOf(slotNames(optimizer.name()), optimizer.stateSlots());   // SGD without momentum keeps none
        for (Layer layer : model.layers()) {
            List<long[]> shapes = KerasArchive.shapes(layer);
            for (int k = 0; k < layer.parameters().size(); k++) {
                Parameter p = layer.parameters().get(k);
                if (!p.trainable()) {
                    continue;
                }
                Storage[] state = optimizer.state(p);
                for (int s = 0; s < names.length; s++) {
                    float[] values = new float[p.size()];
                    if (state != null) {
                        model.backend().download(state[s], 0, values, 0, values.length);
                    } else if (optimizer.name().equals("adagrad")) {
                        Arrays.fill(values, ((Number) optimizer.config().get("initial_accumulator_value")).floatValue());
                    }
                    out.slots.add(new Slot(layer, p, names[s], shapes.get(k), values));
                }
            }
        }
        return out;
    }

    /** Keras 3's names for the optimizer's slots, in Lamina's (and Keras') order. */
    static String[] slotNames(String optimizer) {
        switch (optimizer) {
            case "adam":
            case "adamw":
                return new String[] {"momentum", "velocity"};
            case "sgd":
                return new String[] {"momentum"};
            case "rmsprop":
                return new String[] {"velocity"};
            case "adagrad":
                return new String[] {"accumulator"};
            default:
                throw new KerasUnsupportedException("Cannot write the state of the optimizer " + optimizer + " to a Keras file.");
        }
    }

    /** tf.keras 2's names for the same slots (Adam/dense/kernel/m:0), for reading its .h5 files. */
    static String[] keras2SlotNames(String optimizer) {
        switch (optimizer) {
            case "adam":
            case "adamw":
                return new String[] {"m", "v"};
            case "sgd":
                return new String[] {"momentum"};
            case "rmsprop":
                return new String[] {"rms"};
            case "adagrad":
                return new String[] {"accumulator"};
            default:
                return new String[0];
        }
    }
}
