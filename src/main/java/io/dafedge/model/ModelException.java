package io.dafedge.model;

/** A model file or bundle that cannot be used, with a message naming the file and the reason. */
public class ModelException extends Exception {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
