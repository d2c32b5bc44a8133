package io.dafedge.model;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * The model bundles this appliance knows, by id: named bundle folders (the site's configured line models, the models
 * the lines last used) and the bundles directly inside known folders (the data folder's {@code models/}, where a site
 * installs bundles, and each line's folder, where first models are made). Whoever asks for a model by id gets one of
 * these or nothing: an id is never turned into a path, so a request cannot make the appliance open other files.
 * Read from disk on every call, so a bundle copied into a known folder is known without a restart; hidden folders
 * are skipped (a bundle being written lives in a hidden sibling until it is complete).
 */
public final class ModelCatalog {
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    private final Supplier<List<Path>> bundles;
    private final List<Path> folders;

    /**
     * @param bundles bundle folders named elsewhere (read on every call: what the lines use changes)
     * @param folders folders whose direct subfolders may be bundles
     */
    public ModelCatalog(Supplier<List<Path>> bundles, List<Path> folders) {
        this.bundles = bundles;
        this.folders = List.copyOf(folders);
    }

    /** Every known bundle once, by id; where two folders hold the same id, the first named wins. */
    public List<ModelBundle> list() {
        Map<String, ModelBundle> byId = new LinkedHashMap<>();
        for (Path dir : candidates()) {
            if (!Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST))) {
                continue;
            }
            try {
                ModelBundle b = ModelBundle.open(dir);
                if (!b.id().isEmpty()) {
                    byId.putIfAbsent(b.id(), b);
                }
            } catch (ModelException e) {
                LOG.debugf("not a usable bundle: %s", e.getMessage());
            }
        }
        return List.copyOf(byId.values());
    }

    public Optional<ModelBundle> find(String id) {
        return list().stream().filter(b -> b.id().equals(id)).findFirst();
    }

    private List<Path> candidates() {
        List<Path> all = new ArrayList<>(bundles.get());
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> inside = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(folder,
                    p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."))) {
                s.forEach(inside::add);
            } catch (IOException e) {
                LOG.warnf("model folder %s not readable: %s", folder, e.getMessage());
            }
            inside.sort(null);
            all.addAll(inside);
        }
        return all;
    }
}
