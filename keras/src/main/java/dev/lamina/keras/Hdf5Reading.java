package dev.lamina.keras;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small helpers over jhdf's reader: groups, float arrays and string attributes as Keras writes them. */
final class Hdf5Reading {
    private Hdf5Reading() {
    }

    /** The child group {@code path} of {@code g}, or null. */
    static Group group(Group g, String path) {
        Node n = child(g, path);
        return n instanceof Group ? (Group) n : null;
    }

    static Node child(Group g, String path) {
        Node n = g;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!(n instanceof Group) || !((Group) n).getChildren().containsKey(part)) {
                return null;
            }
            n = ((Group) n).getChild(part);
        }
        return n;
    }

    /** A dataset's values as float32 (float, double or integer data), with its shape. */
    static KerasWeights.Array floats(Group g, String path, String what) {
        Node n = child(g, path);
        if (!(n instanceof Dataset)) {
            throw new KerasFileFormatException(what + ": no array at '" + g.getPath() + path + "'.");
        }
        Dataset d = (Dataset) n;
        int[] dims = d.getDimensions();
        long[] shape = Arrays.stream(dims).asLongStream().toArray();
        Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
        float[] values;
        if (flat instanceof float[]) {
            values = (float[]) flat;
        } else if (flat instanceof Number) {
            values = new float[] {((Number) flat).floatValue()};
        } else if (flat != null && flat.getClass().isArray() && Array.getLength(flat) == 0) {
            values = new float[0];
        } else if (flat != null && flat.getClass().isArray() && Array.get(flat, 0) instanceof Number) {
            values = new float[Array.getLength(flat)];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((Number) Array.get(flat, i)).floatValue();
            }
        } else {
            throw new KerasFileFormatException(what + ": the array '" + d.getPath() + "' does not hold numbers.");
        }
        return new KerasWeights.Array(d.getPath(), shape, values);
    }

    /** A string attribute (fixed or variable length, bytes or text), or null when absent. */
    static String string(Node n, String name) {
        Attribute a = n.getAttribute(name);
        if (a == null) {
            return null;
        }
        Object data = a.getData();
        if (data instanceof String) {
            return (String) data;
        }
        if (data instanceof String[] && ((String[]) data).length == 1) {
            return ((String[]) data)[0];
        }
        throw new KerasFileFormatException("The HDF5 attribute '" + name + "' of " + n.getPath() + " is not a string.");
    }

    /** A list-of-strings attribute as Keras' load_attributes_from_hdf5_group reads it (absent or empty: an empty list; chunked as name0, name1...). */
    static List<String> strings(Node n, String name) {
        List<String> out = new ArrayList<>();
        if (n.getAttribute(name) != null) {
            add(out, n.getAttribute(name).getData(), name);
            return out;
        }
        for (int chunk = 0; n.getAttribute(name + chunk) != null; chunk++) {
            add(out, n.getAttribute(name + chunk).getData(), name);
        }
        return out;
    }

    private static void add(List<String> out, Object data, String name) {
        if (data instanceof String) {
            out.add((String) data);
        } else if (data instanceof String[]) {
            out.addAll(Arrays.asList((String[]) data));
        } else if (data != null && !(data.getClass().isArray() && Array.getLength(data) == 0)) {   // Keras writes [] as an empty float array
            throw new KerasFileFormatException("The HDF5 attribute '" + name + "' is not a list of names.");
        }
    }
}
