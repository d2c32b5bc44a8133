package io.dafedge.bench;

/**
 * What one run of {@link PipelineBench} measured. Times in milliseconds.
 *
 * @param frames             frames measured in each phase (throughput, then paced), warm-up excluded
 * @param dropped            frames the camera queue dropped over the whole run; the bench waits for room, so 0
 * @param failed             measured frames the inspection failed
 * @param missing            measured frames inspected whose result never reached the subscriber
 * @param framesPerSecond    sustained rate of the throughput phase: frames over first decode to last MQTT receipt
 * @param pacedPerSecond     the rate the paced phase offered frames at
 * @param latencyMs          paced phase: {@code Frame.arrived} (after decode) to the subscriber's receipt
 * @param overheadMs         paced phase: decode plus the worker's handling of the frame minus the detector
 * @param fullLoadOverheadMs the same in the throughput phase, where the next frame's decode competes for the cores
 * @param detectMs           paced phase: the detector, as the inspection reports it
 * @param decodeMs           paced phase: the PNG decode alone
 * @param postprocessMs      paced phase: regions, overlay and thumbnail with their PNG encodings, as reported
 * @param handOffMs          paced phase: the worker's time outside the inspection (sinks, the line's lock)
 * @param overheadShare      paced phase: overhead over decode plus handling, summed over the frames
 */
public record PipelineReport(int frames, int warmup, long dropped, long failed, long missing, double framesPerSecond,
        double pacedPerSecond, Distribution latencyMs, Distribution overheadMs, Distribution fullLoadOverheadMs,
        Distribution detectMs, Distribution decodeMs, Distribution postprocessMs, Distribution handOffMs,
        double overheadShare) {
}
