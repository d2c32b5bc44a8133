package io.dafedge.model;

import org.jboss.logging.Logger;

import io.dafedge.model.baseline.Padim;
import io.dafedge.model.daf.DafBundle;
import io.dafedge.model.daf.DafDetector;
import io.dafedge.model.daf.DafOnnxDetector;
import io.dafedge.model.baseline.PatchCore;

/** Opens the detector a bundle was trained as. */
public final class Detectors {
    private static final Logger LOG = Logger.getLogger(Detectors.class);

    private Detectors() {
    }

    /**
     * DAF as one graph in ONNX Runtime ({@link DafOnnxDetector}); when that cannot be had (a layer the export does
     * not know, a runtime that refuses the graph), DJL, which runs every bundle this daf-edge can train, and the
     * reason is logged.
     */
    private static Detector daf(ModelBundle bundle, int threads) throws ModelException {
        try {
            return DafOnnxDetector.load(bundle, threads);
        } catch (ModelException | RuntimeException e) {
            LOG.warnf("bundle %s runs in DJL, more slowly: its ONNX graph is not usable: %s", bundle.id(),
                    e.getMessage());
            return DafDetector.load(bundle, threads);
        }
    }

    public static Detector load(ModelBundle bundle, int threads) throws ModelException {
        return switch (bundle.method()) {
            case DafBundle.METHOD -> daf(bundle, threads);
            case PatchCore.METHOD -> PatchCore.load(bundle, threads);
            case Padim.METHOD -> Padim.load(bundle, threads);
            default -> throw new ModelException("bundle " + bundle.dir() + " is of method '" + bundle.method()
                    + "', which this daf-edge cannot run (daf, patchcore, padim)");
        };
    }
}
