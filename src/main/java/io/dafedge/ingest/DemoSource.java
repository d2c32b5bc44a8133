package io.dafedge.ingest;

import io.dafedge.synth.demo.DemoLine;
import io.dafedge.synth.demo.DemoProduct;
import io.dafedge.synth.demo.DemoSample;

/**
 * {@code demo}: the procedural demo line as a camera, for trying the appliance without one. Frame n is
 * {@code DemoLine.frame(n, DEFECT_RATE)} of a 256x256 flange, n counting from 0, so a run is
 * reproducible to the byte; paced at the camera's max-fps, or {@link #DEFAULT_FPS} when it has none. Never ends.
 */
public final class DemoSource extends ThreadedSource {
    static final double DEFAULT_FPS = 2;
    static final double DEFECT_RATE = 0.2;
    static final int SIDE = 256;

    private final DemoLine line = new DemoLine(DemoProduct.FLANGE, SIDE, SIDE);
    /** The next frame's seed; only the source's thread touches it. */
    private long next;

    public DemoSource(CameraSettings settings) {
        super(settings, settings.maxFps() > 0 ? settings.maxFps() : DEFAULT_FPS, Backoff.DEFAULT);
    }

    @Override
    protected String describe() {
        return "demo line (" + line.product().cliName() + ", " + SIDE + "x" + SIDE + ")";
    }

    @Override
    protected void session() throws InterruptedException {
        connected();
        while (awaitRate()) {
            DemoSample sample = line.frame(next, DEFECT_RATE);
            deliver(sample.image(), "demo-" + next, "demo line #" + next, FrameOutcome.NONE);
            next++;
        }
    }
}
