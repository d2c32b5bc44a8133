package io.dafedge;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The appliance's own settings ({@code daf.*}); the site's values live in config/application.properties. */
@ConfigMapping(prefix = "daf")
public interface DafConfig {
    /** Everything the appliance writes goes below this folder. */
    @WithDefault("./data")
    Path dataDir();

    /** Free space on the data folder's disk below which the appliance reports itself not ready. */
    @WithDefault("512")
    long minFreeDiskMb();
}
