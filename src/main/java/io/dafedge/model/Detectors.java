package io.dafedge.model;

import io.dafedge.model.baseline.Padim;
import io.dafedge.model.daf.DafBundle;
import io.dafedge.model.daf.DafDetector;
import io.dafedge.model.baseline.PatchCore;

/** Opens the detector a bundle was trained as. */
public final class Detectors {
    private Detectors() {
    }

    public static Detector load(ModelBundle bundle, int threads) throws ModelException {
        return switch (bundle.method()) {
            case DafBundle.METHOD -> DafDetector.load(bundle, threads);
            case PatchCore.METHOD -> PatchCore.load(bundle, threads);
            case Padim.METHOD -> Padim.load(bundle, threads);
            default -> throw new ModelException("bundle " + bundle.dir() + " is of method '" + bundle.method()
                    + "', which this daf-edge cannot run (daf, patchcore, padim)");
        };
    }
}
