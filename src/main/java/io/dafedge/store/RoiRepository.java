package io.dafedge.store;

import java.time.Instant;
import java.util.Optional;

import io.dafedge.ingest.CameraSettings;
import io.dafedge.inspect.CameraRois;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The ROIs engineers set per camera, which override the configured ones at start-up. */
@ApplicationScoped
public class RoiRepository implements CameraRois.Store {
    @Override
    @Transactional
    public void save(String camera, CameraSettings.Roi roi, String who) {
        CameraRoiRecord r = CameraRoiRecord.<CameraRoiRecord>findByIdOptional(camera).orElseGet(() -> {
            CameraRoiRecord n = new CameraRoiRecord();
            n.camera = camera;
            return n;
        });
        r.x = roi.x();
        r.y = roi.y();
        r.width = roi.width();
        r.height = roi.height();
        r.changedBy = who;
        r.changedAt = Instant.now();
        r.persist();
    }

    @Override
    @Transactional
    public void forget(String camera) {
        CameraRoiRecord.deleteById(camera);
    }

    @Transactional
    public Optional<CameraSettings.Roi> load(String camera) {
        return CameraRoiRecord.<CameraRoiRecord>findByIdOptional(camera)
                .map(r -> new CameraSettings.Roi(r.x, r.y, r.width, r.height));
    }
}
