package io.dafedge.security;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.security.jpa.Password;
import io.quarkus.security.jpa.Roles;
import io.quarkus.security.jpa.UserDefinition;
import io.quarkus.security.jpa.Username;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user of the UI and the API; the password is kept only as a bcrypt hash (Modular Crypt Format). */
@Entity
@Table(name = "app_user")
@UserDefinition
public class UserRecord extends PanacheEntityBase {
    @Id
    @Username
    public String username;
    @Password
    @Column(nullable = false)
    public String passwordHash;
    /** {@link Role#granted()}: comma-separated. */
    @Roles
    @Column(nullable = false)
    public String roles;
    @Column(nullable = false)
    public Instant createdAt;

    /** The user's role: engineer when granted it, otherwise operator. */
    public Role role() {
        return roles.contains(Role.ENGINEER_ROLE) ? Role.ENGINEER : Role.OPERATOR;
    }
}
