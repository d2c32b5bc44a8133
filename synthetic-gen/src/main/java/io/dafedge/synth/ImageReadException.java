package io.dafedge.synth;

/** An image that cannot be used, with a message that names it and says why. */
public class ImageReadException extends Exception {
    public ImageReadException(String message) {
        super(message);
    }
}
