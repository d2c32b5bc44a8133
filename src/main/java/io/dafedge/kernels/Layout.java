package io.dafedge.kernels;

/**
 * Between the CHW tensors of the rest of the application (PyTorch's and ONNX's layout) and the HWC ones the kernels
 * compute on. A network on the kernels converts once at each end, not per layer.
 */
public final class Layout {
    private Layout() {
    }

    public static float[] chwToHwc(float[] chw, int channels, int height, int width) {
        int plane = checked(chw, channels, height, width);
        float[] hwc = new float[chw.length];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                hwc[p * channels + c] = chw[c * plane + p];
            }
        }
        return hwc;
    }

    public static float[] hwcToChw(float[] hwc, int channels, int height, int width) {
        int plane = checked(hwc, channels, height, width);
        float[] chw = new float[hwc.length];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                chw[c * plane + p] = hwc[p * channels + c];
            }
        }
        return chw;
    }

    private static int checked(float[] values, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1 || (long) channels * height * width != values.length) {
            throw new IllegalArgumentException(values.length + " values are not " + channels + " x " + height + " x "
                    + width);
        }
        return height * width;
    }
}
