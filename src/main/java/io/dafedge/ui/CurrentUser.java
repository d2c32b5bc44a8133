package io.dafedge.ui;

import io.dafedge.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/** Who is logged in, for the pages ({@code {inject:me.name}}, {@code {inject:me.engineer}}). */
@RequestScoped
@Named("me")
public class CurrentUser {
    private final SecurityIdentity identity;

    CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String getName() {
        return identity.isAnonymous() ? "" : identity.getPrincipal().getName();
    }

    public boolean isLoggedIn() {
        return !identity.isAnonymous();
    }

    public boolean isEngineer() {
        return identity.hasRole(Role.ENGINEER_ROLE);
    }
}
