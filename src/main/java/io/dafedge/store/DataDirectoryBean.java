package io.dafedge.store;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.dafedge.DafConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/** Makes the data folder at start-up; the appliance refuses to start on one it cannot write. */
@ApplicationScoped
public class DataDirectoryBean {
    private static final Logger LOG = Logger.getLogger(DataDirectoryBean.class);

    @Produces
    @Startup
    @ApplicationScoped
    DataDirectory dataDirectory(DafConfig config) {
        DataDirectory dir = new DataDirectory(config.dataDir(), config.minFreeDiskMb() * 1024 * 1024);
        try {
            dir.prepare();
        } catch (IOException e) {
            throw new UncheckedIOException("data folder " + dir.root() + " (daf.data-dir) is not writable: " + e.getMessage(), e);
        }
        LOG.infof("data folder %s", dir.root());
        return dir;
    }
}
