package io.dafedge.inspect;

/** An axis-aligned rectangle of whole pixels: columns x .. x + width - 1, rows y .. y + height - 1. */
public record Box(int x, int y, int width, int height) {
    public Box {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("box needs a positive size, got " + width + "x" + height);
        }
    }

    /** One past the last column. */
    public int right() {
        return x + width;
    }

    /** One past the last row. */
    public int bottom() {
        return y + height;
    }
}
