package dev.lamina.spark;

import dev.lamina.LaminaException;
import dev.lamina.Sequential;
import dev.lamina.backend.Storage;
import dev.lamina.layers.Layer;
import dev.lamina.layers.Parameter;
import dev.lamina.optimizers.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What changes while a model trains, as one flat float array: every parameter in layer order (the
 * non-trainable ones too, such as batch normalization's moving statistics), then each trainable
 * parameter's optimizer slots; plus the optimizer's step count. This is what a round broadcasts and
 * what the shards' results average.
 */
final class ModelState implements Serializable {
    private static final long serialVersionUID = 1L;

    final float[] values;
    final long iterations;
    /** False before the first step: the optimizer has no slots yet and starts them at its own initial values. */
    final boolean hasOptimizerState;

    ModelState(float[] values, long iterations, boolean hasOptimizerState) {
        this.values = values;
        this.iterations = iterations;
        this.hasOptimizerState = hasOptimizerState;
    }

    /** The state of a built, compiled model. */
    static ModelState of(Sequential model) {
        Optimizer optimizer = model.optimizer();
        List<Parameter> all = parameters(model);
        List<Parameter> trainable = trainable(all);
        boolean started = optimizer.iterations() > 0 && !trainable.isEmpty() && optimizer.state(trainable.get(0)) != null;
        float[] values = new float[size(model, started)];
        int at = 0;
        for (Parameter p : all) {
            float[] v = p.value().toFlatArray();
            System.arraycopy(v, 0, values, at, v.length);
            at += v.length;
        }
        if (started) {
            for (Parameter p : trainable) {
                for (Storage slot : optimizer.state(p)) {
                    model.backend().download(slot, 0, values, at, p.size());
                    at += p.size();
                }
            }
        }
        return new ModelState(values, optimizer.iterations(), started);
    }

    /** Puts this state into a model of the same architecture and optimizer. */
    void applyTo(Sequential model) {
        Optimizer optimizer = model.optimizer();
        List<Parameter> all = parameters(model);
        if (values.length != size(model, hasOptimizerState)) {
            throw new LaminaException("The model state has " + values.length + " values but the model needs "
                    + size(model, hasOptimizerState) + "; it belongs to another architecture.");
        }
        int at = 0;
        for (Parameter p : all) {
            float[] v = new float[p.size()];
            System.arraycopy(values, at, v, 0, v.length);
            p.value().upload(v);
            at += v.length;
        }
        if (!hasOptimizerState) {
            // a retried task may find a network its failed attempt already stepped: start its optimizer afresh
            optimizer.release(model.backend());
            optimizer.setIterations(iterations);
            return;
        }
        for (Parameter p : trainable(all)) {
            float[][] slots = new float[optimizer.stateSlots()][p.size()];
            for (float[] slot : slots) {
                System.arraycopy(values, at, slot, 0, slot.length);
                at += slot.length;
            }
            optimizer.restoreState(model.backend(), p, slots, iterations);
        }
        optimizer.setIterations(iterations);
    }

    /** The number of values of a model's state, with or without the optimizer slots. */
    static int size(Sequential model, boolean withOptimizer) {
        long n = 0;
        List<Parameter> all = parameters(model);
        for (Parameter p : all) {
            n += p.size();
        }
        if (withOptimizer) {
            for (Parameter p : trainable(all)) {
                n += (long) p.size() * model.optimizer().stateSlots();
            }
        }
        if (n > Integer.MAX_VALUE - 16) {
            throw new LaminaException("The model's weights and optimizer state hold " + n + " values, more than one Java array "
                    + "can; lamina-spark trains models of up to about 2 billion values.");
        }
        return (int) n;
    }

    static List<Parameter> parameters(Sequential model) {
        List<Parameter> out = new ArrayList<>();
        for (Layer layer : model.layers()) {
            out.addAll(layer.parameters());
        }
        return out;
    }

    private static List<Parameter> trainable(List<Parameter> all) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : all) {
            if (p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }
}
