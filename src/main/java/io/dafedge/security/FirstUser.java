package io.dafedge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.dafedge.DafConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security at start-up: the login cookie key ({@link SessionKey}) and the first user. At a start with no users, the administrator is made from
 * {@code daf.security.bootstrap-admin-password} when the site set it; otherwise the UI's setup page asks for the
 * administrator's password together with a one-time {@link SetupCode}. There is never a default password.
 */
@ApplicationScoped
public class FirstUser {
    private static final Logger LOG = Logger.getLogger(FirstUser.class);

    private final Users users;
    private final DafConfig config;
    private volatile SetupCode code;

    FirstUser(Users users, DafConfig config) {
        this.users = users;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        try {
            SessionKey.ensure(config.dataDir());
        } catch (IOException e) {
            LOG.warnf("the login cookie key could not be kept in the data folder (%s): a restart will log everyone "
                    + "out", e.getMessage());
        }
        if (users.count() > 0) {
            return;
        }
        Optional<String> password = config.security().bootstrapAdminPassword();
        if (password.isPresent()) {
            try {
                users.createFirst(Users.ADMIN, password.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("daf.security.bootstrap-admin-password: " + e.getMessage());
            }
            LOG.infof("user %s created from daf.security.bootstrap-admin-password (an engineer); remove the setting "
                    + "now: it is not read again while any user exists", Users.ADMIN);
            return;
        }
        try {
            code = SetupCode.create(config.dataDir().resolve("setup-code").toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("the setup code could not be written: " + e.getMessage(), e);
        }
        LOG.warnf("no users yet: open the web UI at /ui/setup and set the administrator's password with the setup "
                + "code %s (also in %s), or start with daf.security.bootstrap-admin-password set", code.code(),
                code.file().toAbsolutePath());
    }

    /** Whether the setup page is still open: no user exists yet. */
    public boolean needed() {
        return code != null && users.count() == 0;
    }

    /**
     * Creates the administrator from the setup page.
     *
     * @throws IllegalArgumentException for a wrong code or a password the rules refuse
     * @throws IllegalStateException    when a user exists already
     */
    public void complete(String setupCode, String username, String password) {
        SetupCode c = code;
        if (c == null || !c.matches(setupCode)) {
            throw new IllegalArgumentException("the setup code is not right: it is in the log and in "
                    + config.dataDir().resolve("setup-code"));
        }
        if (!users.createFirst(username, password)) {
            throw new IllegalStateException("the administrator has been set up already: log in");
        }
        code = null;
        try {
            c.used();
        } catch (IOException e) {
            LOG.warnf("the used setup code file %s was not removed: %s", c.file(), e.getMessage());
        }
        LOG.infof("user %s (engineer) created on the setup page", username);
    }
}
