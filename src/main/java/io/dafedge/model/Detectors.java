package io.dafedge.model;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.dafedge.kernels.GeneratedKernels;
import io.dafedge.kernels.Isa;
import io.dafedge.kernels.Packing;
import io.dafedge.model.baseline.Padim;
import io.dafedge.model.baseline.PatchCore;
import io.dafedge.model.daf.CompiledDafDetector;
import io.dafedge.model.daf.DafBundle;
import io.dafedge.model.daf.DafDetector;
import io.dafedge.model.daf.DafOnnxDetector;
import org.jboss.logging.Logger;

/** Opens the detector a bundle was trained as. */
public final class Detectors {
    private static final Logger LOG = Logger.getLogger(Detectors.class);
    /** A pruned bundle's folder for the kernels built for it at its first load ({@link GeneratedKernels}). */
    public static final String KERNELS_DIR = "kernels";

    private Detectors() {
    }

    /**
     * DAF on the compiled kernels ({@link CompiledDafDetector}; a pruned bundle's layers packed sparse, skipping what
     * pruning removed, on kernels generated for the bundle and built with the system C compiler into its
     * {@value #KERNELS_DIR} folder at its first load when asked ({@link #kernelCache}); the teacher's blocks in
     * INT8 where the CPU has AVX-512 VNNI, unless {@value io.dafedge.kernels.QuantConv1x1#INT8_ENV} is {@code off});
     * when they cannot be had (no library for this platform, a layer without a kernel), the exported graph in ONNX
     * Runtime ({@link DafOnnxDetector}); when that cannot either, DJL, which runs every bundle
     * this daf-edge can train. Each fallback logs why.
     */
    private static Detector daf(ModelBundle bundle, int threads) throws ModelException {
        try {
            CompiledDafDetector detector = CompiledDafDetector.load(bundle, threads, packingOf(bundle), true,
                    kernelCache(bundle));
            LOG.debugf("bundle %s on the compiled kernels, %d of the teacher's blocks in INT8", bundle.id(),
                    detector.int8TeacherSteps());
            return detector;
        } catch (ModelException | RuntimeException | LinkageError e) {
            LOG.warnf("bundle %s runs in ONNX Runtime, more slowly: the compiled kernels cannot run it: %s",
                    bundle.id(), e.getMessage());
        }
        try {
            return DafOnnxDetector.load(bundle, threads);
        } catch (ModelException | RuntimeException e) {
            LOG.warnf("bundle %s runs in DJL, more slowly: its ONNX graph is not usable: %s", bundle.id(),
                    e.getMessage());
            return DafDetector.load(bundle, threads);
        }
    }

    /**
     * Where the appliance builds kernels generated for the bundle: its {@value #KERNELS_DIR} folder, or null when
     * they are not wanted ({@link GeneratedKernels#wanted}: only when asked for).
     */
    public static Path kernelCache(ModelBundle bundle) {
        return GeneratedKernels.wanted(Isa.selected()) ? bundle.dir().resolve(KERNELS_DIR) : null;
    }

    /** Sparse packing for a bundle trained with pruning, dense for any other. */
    public static Packing packingOf(ModelBundle bundle) {
        JsonNode pruning = bundle.manifest().path("training").path("pruning");
        return pruning.path("sparsity").asDouble(0) > 0 ? Packing.SPARSE : Packing.DENSE;
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
