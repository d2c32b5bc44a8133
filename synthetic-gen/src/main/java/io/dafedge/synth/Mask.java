package io.dafedge.synth;

/** A binary defect mask: 255 where a pixel belongs to the defect, 0 elsewhere (the PNG convention of MVTec AD). */
public final class Mask {
    public final int width;
    public final int height;
    public final byte[] data;

    public Mask(int width, int height) {
        this.width = width;
        this.height = height;
        this.data = new byte[Math.multiplyExact(width, height)];
    }

    public boolean get(int x, int y) {
        return data[y * width + x] != 0;
    }

    public boolean get(int i) {
        return data[i] != 0;
    }

    public void set(int x, int y) {
        data[y * width + x] = (byte) 255;
    }

    public void set(int i) {
        data[i] = (byte) 255;
    }

    public int area() {
        int n = 0;
        for (byte b : data) {
            if (b != 0) {
                n++;
            }
        }
        return n;
    }

    public double areaFraction() {
        return (double) area() / data.length;
    }

    /** The mask as a one-channel image (0 / 255), ready to be written. */
    public Image toImage() {
        return new Image(width, height, 1, data.clone());
    }
}
