package dev.lamina;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@code fit} returns: one value per epoch for the loss and each metric, and their {@code val_} twins. */
public final class History {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    /** An empty history; each key appears with the first epoch that logs it. */
    public History() {
    }

    /**
     * A history that lists {@code keys} from the start, each with no values yet: a fit of zero
     * epochs returns one, so {@code get("loss")} gives an empty series rather than an error.
     */
    public History(List<String> keys) {
        keys.forEach(k -> values.put(k, new ArrayList<>()));
    }

    /** Appends one epoch's logs. */
    public void append(Map<String, Double> logs) {
        logs.forEach((k, v) -> values.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
    }

    /** The per-epoch values of {@code key} ("loss", "val_loss", "mae", ...). */
    public double[] get(String key) {
        List<Double> list = values.get(key);
        if (list == null) {
            throw new LaminaException("History has no '" + key + "'. It has: " + String.join(", ", values.keySet()) + ".");
        }
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The number of epochs recorded. */
    public int epochs() {
        return values.isEmpty() ? 0 : values.values().iterator().next().size();
    }

    /** The last epoch's value of {@code key}. */
    public double last(String key) {
        double[] v = get(key);
        if (v.length == 0) {
            throw new LaminaException("History has no epochs, so '" + key + "' has no last value (the fit ran 0 epochs).");
        }
        return v[v.length - 1];
    }

    /** All values, as Keras' {@code history.history}. */
    public Map<String, double[]> asMap() {
        Map<String, double[]> out = new LinkedHashMap<>();
        values.keySet().forEach(k -> out.put(k, get(k)));
        return out;
    }

    @Override
    public String toString() {
        return "History" + values;
    }
}
