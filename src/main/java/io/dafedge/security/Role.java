package io.dafedge.security;

import java.util.Locale;

/**
 * The two roles of the appliance's users. Operators watch the line and review verdicts; engineers also change
 * thresholds, models, training and settings. An engineer holds both roles, so everything an operator may do is
 * guarded by {@link #OPERATOR} alone.
 */
public enum Role {
    OPERATOR, ENGINEER;

    /** Role names as {@code @RolesAllowed} takes them. */
    public static final String OPERATOR_ROLE = "operator";
    public static final String ENGINEER_ROLE = "engineer";

    /** The role name this role stands for in the UI and the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles a user of this role holds (an engineer is an operator too). */
    public String granted() {
        return this == ENGINEER ? OPERATOR_ROLE + "," + ENGINEER_ROLE : OPERATOR_ROLE;
    }

    /** @throws IllegalArgumentException for a name that is no role */
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be operator or engineer, got " + id);
    }
}
