package io.dafedge.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.dafedge.model.ModelException;

/**
 * A tensor of the file (an initializer or an attribute value). Values are decoded on request, so a model whose
 * unused tensors have types this reader cannot decode still opens.
 */
public final class OnnxTensor {
    private final String source;
    private final String name;
    private final long[] dims;
    private final int dataType;
    /** raw_data (little-endian), or null when the values are in the typed field. */
    private final byte[] raw;
    /** The typed field that belongs to {@link #dataType} (float_data, int32_data, int64_data or double_data). */
    private final ScalarList typed;
    private final boolean external;

    OnnxTensor(String source, String name, long[] dims, int dataType, byte[] raw, ScalarList typed, boolean external) {
        this.source = source;
        this.name = name;
        this.dims = dims;
        this.dataType = dataType;
        this.raw = raw;
        this.typed = typed;
        this.external = external;
    }

    public String name() {
        return name;
    }

    public long[] dims() {
        return dims.clone();
    }

    /** A {@link DataType} code. */
    public int dataType() {
        return dataType;
    }

    /** The values of a FLOAT tensor, or of a DOUBLE one narrowed to float. */
    public float[] floats() throws ModelException {
        int n = checkedCount();
        if (dataType == DataType.FLOAT) {
            if (raw == null) {
                return checkTyped(n).toFloats();
            }
            float[] out = new float[n];
            littleEndian(4, n).asFloatBuffer().get(out);
            return out;
        }
        if (dataType == DataType.DOUBLE) {
            double[] values;
            if (raw == null) {
                values = checkTyped(n).toDoubles();
            } else {
                values = new double[n];
                littleEndian(8, n).asDoubleBuffer().get(values);
            }
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }
        throw refuse("is " + DataType.name(dataType) + ", not FLOAT or DOUBLE");
    }

    /** The values of an integer tensor (INT8, UINT8, INT16, UINT16, INT32 or INT64). */
    public long[] longs() throws ModelException {
        int width = switch (dataType) {
            case DataType.INT8, DataType.UINT8 -> 1;
            case DataType.INT16, DataType.UINT16 -> 2;
            case DataType.INT32 -> 4;
            case DataType.INT64 -> 8;
            default -> throw refuse("is " + DataType.name(dataType) + ", not an integer type");
        };
        int n = checkedCount();
        if (raw == null) {
            long[] out = checkTyped(n).toLongs();
            if (dataType != DataType.INT64) {
                // int32_data holds int32 varints; a writer may emit them as 5-byte varints without sign extension
                for (int i = 0; i < n; i++) {
                    out[i] = (int) out[i];
                }
            }
            return out;
        }
        ByteBuffer b = littleEndian(width, n);
        boolean unsigned = dataType == DataType.UINT8 || dataType == DataType.UINT16;
        long mask = width == 8 ? -1L : (1L << 8 * width) - 1;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = switch (width) {
                case 1 -> b.get();
                case 2 -> b.getShort();
                case 4 -> b.getInt();
                default -> b.getLong();
            };
            out[i] = unsigned ? v & mask : v;
        }
        return out;
    }

    private int checkedCount() throws ModelException {
        if (external) {
            throw refuse("keeps its data in an external file, which this reader does not load");
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0 || (d > 0 && n > Integer.MAX_VALUE / d)) {
                throw refuse("has dims " + Arrays.toString(dims) + ", which do not give an array size");
            }
            n *= d;
        }
        return (int) n;
    }

    private ScalarList checkTyped(int n) throws ModelException {
        if (typed.size() != n) {
            throw refuse("has " + typed.size() + " values in its typed field, but dims " + Arrays.toString(dims)
                    + " need " + n);
        }
        return typed;
    }

    private ByteBuffer littleEndian(int width, int n) throws ModelException {
        if (raw.length != (long) width * n) {
            throw refuse("has " + raw.length + " bytes of raw_data, but dims " + Arrays.toString(dims) + " of "
                    + DataType.name(dataType) + " need " + (long) width * n);
        }
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    private ModelException refuse(String what) {
        return new ModelException(source + ": tensor '" + name + "' " + what);
    }
}
