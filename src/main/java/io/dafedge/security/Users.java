package io.dafedge.security;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The users of the UI and the API: who may log in, with which role. */
@ApplicationScoped
public class Users {
    /** The bootstrap administrator's name. */
    public static final String ADMIN = "admin";
    public static final int MIN_PASSWORD = 10;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** A user as the pages and the API show one: never the hash. */
    public record User(String username, String role, Instant createdAt) {
        static User of(UserRecord r) {
            return new User(r.username, r.role().id(), r.createdAt);
        }
    }

    @Transactional
    public long count() {
        return UserRecord.count();
    }

    @Transactional
    public List<User> list() {
        return UserRecord.<UserRecord>listAll().stream().map(User::of)
                .sorted(Comparator.comparing(User::username)).toList();
    }

    /**
     * Adds a user.
     *
     * @throws IllegalArgumentException for a bad name or password, or a name already taken (nothing is written)
     */
    @Transactional
    public User create(String username, String password, Role role) {
        checkUsername(username);
        checkPassword(username, password);
        if (UserRecord.findById(username) != null) {
            throw new IllegalArgumentException("user " + username + " exists already");
        }
        UserRecord r = new UserRecord();
        r.username = username;
        r.passwordHash = BcryptUtil.bcryptHash(password);
        r.roles = role.granted();
        r.createdAt = Instant.now();
        r.persist();
        return User.of(r);
    }

    /**
     * Creates the first user, an engineer, only while there is none: two browsers racing through the setup page
     * cannot both become the administrator.
     *
     * @return false when a user exists already (nothing is written)
     */
    @Transactional
    public synchronized boolean createFirst(String username, String password) {
        if (UserRecord.count() > 0) {
            return false;
        }
        create(username, password, Role.ENGINEER);
        return true;
    }

    /** @throws IllegalArgumentException for an unknown user or a password the rules refuse */
    @Transactional
    public void changePassword(String username, String password) {
        UserRecord r = existing(username);
        checkPassword(username, password);
        r.passwordHash = BcryptUtil.bcryptHash(password);
    }

    /** @throws IllegalArgumentException for an unknown user, or the last engineer (nobody could then administer) */
    @Transactional
    public void delete(String username) {
        UserRecord r = existing(username);
        if (r.role() == Role.ENGINEER
                && UserRecord.count("roles like ?1", "%" + Role.ENGINEER_ROLE + "%") == 1) {
            throw new IllegalArgumentException("user " + username + " is the last engineer and cannot be removed");
        }
        r.delete();
    }

    private static UserRecord existing(String username) {
        UserRecord r = UserRecord.findById(username);
        if (r == null) {
            throw new IllegalArgumentException("no user " + username);
        }
        return r;
    }

    static void checkUsername(String username) {
        if (username == null || !NAME.matcher(username).matches()) {
            throw new IllegalArgumentException("a user name is 1 to 64 lower-case letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    static void checkPassword(String username, String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("a password needs at least " + MIN_PASSWORD + " characters");
        }
        if (password.equalsIgnoreCase(username)) {
            throw new IllegalArgumentException("the password must not be the user name");
        }
    }
}
