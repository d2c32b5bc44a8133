package io.dafedge.model.onnx;

/**
 * Element types of ONNX tensors (TensorProto.DataType). Kept as the file's int codes rather than an enum, because
 * files may carry codes newer than this list and reading them must still work.
 */
public final class DataType {
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int UINT16 = 4;
    public static final int INT16 = 5;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int DOUBLE = 11;

    private static final String[] NAMES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
            "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};

    private DataType() {
    }

    /** The onnx.proto name of a code, for messages. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "data type " + code;
    }
}
