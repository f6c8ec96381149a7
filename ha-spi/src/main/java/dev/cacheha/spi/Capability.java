package dev.cacheha.spi;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An operation on a running quorum that a provider may offer beside planning, discovery and cleanup, which every
 * provider offers. Callers ask {@link HighAvailabilityProvider#capabilities()} before calling the operation's
 * method, instead of catching the {@link UnsupportedOperationException} its default throws.
 */
public enum Capability {

    /** {@link HighAvailabilityProvider#planReplicaChange}: changing the size of a running quorum. */
    REPLICA_CHANGE("planReplicaChange", HaSpec.class, int.class),
    /** {@link HighAvailabilityProvider#planBackup}: a backup of the quorum's metadata, taken on its leader. */
    BACKUP("planBackup", HaSpec.class, LeaderStatus.class, BackupTarget.class),
    /** {@link HighAvailabilityProvider#planRestore}: starting the quorum from a backup. */
    RESTORE("planRestore", HaSpec.class, Backup.class),
    /** {@link HighAvailabilityProvider#planMemberRebuild}: one member back from an empty journal. */
    MEMBER_REBUILD("planMemberRebuild", HaSpec.class, LeaderStatus.class, int.class);

    private final String method;
    private final List<Class<?>> parameters;

    Capability(String method, Class<?>... parameters) {
        this.method = method;
        this.parameters = List.of(parameters);
    }

    /** The name of the provider method that plans this operation. */
    public String method() {
        return method;
    }

    /**
     * The capabilities whose methods {@code providerType} implements itself (or inherits from a class that
     * does), rather than inheriting the SPI's default that throws: what a provider written before capabilities
     * were declared offers.
     */
    static Set<Capability> implementedBy(Class<? extends HighAvailabilityProvider> providerType) {
        EnumSet<Capability> implemented = EnumSet.noneOf(Capability.class);
        for (Capability capability : values()) {
            try {
                if (providerType.getMethod(capability.method, capability.parameters.toArray(Class<?>[]::new))
                        .getDeclaringClass() != HighAvailabilityProvider.class) {
                    implemented.add(capability);
                }
            } catch (NoSuchMethodException impossible) {
                throw new IllegalStateException("the SPI declares " + capability.method, impossible);
            }
        }
        return Collections.unmodifiableSet(implemented);
    }
}
