package dev.lamina.spark;

import dev.lamina.LaminaException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one column of numbers per row into floats: an ML {@code Vector}, an array of numbers, or
 * (for labels) a single number. The schema is checked on the driver before any job runs; each row
 * is checked as it is read, and a bad one is named by its position in the DataFrame.
 */
final class ColumnReader implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { VECTOR, ARRAY, SCALAR }

    final String role;
    final String column;
    final Kind kind;

    private ColumnReader(String role, String column, Kind kind) {
        this.role = role;
        this.column = column;
        this.kind = kind;
    }

    /** A reader for the features column: a Vector or an array of numbers. */
    static ColumnReader features(StructType schema, String column) {
        return of(schema, column, "features", false);
    }

    /** A reader for the label column: a number, or a Vector or array of numbers for several targets. */
    static ColumnReader label(StructType schema, String column) {
        return of(schema, column, "label", true);
    }

    private static ColumnReader of(StructType schema, String column, String role, boolean scalarAllowed) {
        List<String> names = Arrays.asList(schema.fieldNames());
        if (column == null || !names.contains(column)) {
            throw new LaminaException("The " + role + " column '" + column + "' is not in the DataFrame; its columns are: "
                    + String.join(", ", names) + ". Set " + role + "Col to one of them"
                    + (scalarAllowed ? "." : ", or gather the feature columns into one with VectorAssembler."));
        }
        StructField field = schema.apply(column);
        DataType type = field.dataType();
        if (type.equals(SQLDataTypes.VectorType())) {
            return new ColumnReader(role, column, Kind.VECTOR);
        }
        if (type instanceof ArrayType && ((ArrayType) type).elementType() instanceof NumericType) {
            return new ColumnReader(role, column, Kind.ARRAY);
        }
        if (scalarAllowed && type instanceof NumericType) {
            return new ColumnReader(role, column, Kind.SCALAR);
        }
        throw new LaminaException("The " + role + " column '" + column + "' has type " + type.simpleString() + "; it must be "
                + (scalarAllowed ? "a number, " : "") + "an ML Vector or an array of numbers"
                + (scalarAllowed ? "." : ". Gather numeric columns into a Vector with VectorAssembler, or cast the column."));
    }

    /** The values of this column in {@code row} (field {@code index}), checked: no nulls, no NaN or infinity. */
    float[] read(Row row, int index, long rowNumber) {
        return read(row, index, rowNumber, -1);
    }

    /**
     * As {@link #read(Row, int, long)}; with {@code partition >= 0} the row is named by its place in
     * that partition (transform has no global row numbers).
     */
    float[] read(Row row, int index, long rowNumber, int partition) {
        if (row.isNullAt(index)) {
            throw bad(rowNumber, partition, "has a null " + role + " value");
        }
        float[] out;
        switch (kind) {
            case VECTOR: {
                Vector v = (Vector) row.get(index);
                out = new float[v.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) v.apply(i);
                }
                break;
            }
            case ARRAY: {
                List<Object> values = row.getList(index);
                out = new float[values.size()];
                for (int i = 0; i < out.length; i++) {
                    Object value = values.get(i);
                    if (value == null) {
                        throw bad(rowNumber, partition, "has a null at position " + i + " of its " + role + " array");
                    }
                    out[i] = ((Number) value).floatValue();
                }
                break;
            }
            default:
                out = new float[] {((Number) row.get(index)).floatValue()};
        }
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                throw bad(rowNumber, partition, "has " + out[i] + " at position " + i + " of its " + role + " (a float must be finite)");
            }
        }
        return out;
    }

    LaminaException bad(long rowNumber, String what) {
        return bad(rowNumber, -1, what);
    }

    LaminaException bad(long rowNumber, int partition, String what) {
        String row = partition < 0 ? "Row " + rowNumber + " (counting from 0 in the DataFrame's order)"
                : "Row " + rowNumber + " of partition " + partition + " (counting from 0)";
        return new LaminaException(row + " " + what + " in column '" + column + "'. Fix or remove such rows first "
                + "(df.na().drop() removes rows with nulls).");
    }
}
