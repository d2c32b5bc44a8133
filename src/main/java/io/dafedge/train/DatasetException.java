package io.dafedge.train;

/** A dataset folder that does not have the layout or files training and evaluation need; the message names them. */
public class DatasetException extends Exception {
    public DatasetException(String message) {
        super(message);
    }
}
