package dev.cacheha.testkit;

import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The requirements every {@link HighAvailabilityProvider} meets, as JUnit 5 tests. A provider author
 * extends this class in their tests, says which provider to check, how its members answer and where the
 * engine reads its properties, and runs it:
 *
 * <pre>{@code
 * class MyProviderConformanceTest extends HighAvailabilityProviderCompatibilityKit {
 *     protected HighAvailabilityProvider provider() { return new MyProvider(); }
 *     protected EngineImpersonation impersonation() {
 *         return (member, role, cluster) -> cluster.probe().answer(member, "/role",
 *                 Reply.of(new MemberProbe.Response(200, role.name())));
 *     }
 *     protected List<String> enginePropertiesFiles() { return List.of("/opt/my-engine/conf/site.properties"); }
 * }
 * }</pre>
 *
 * <p>If the engine's followers say whom they follow, implement {@link EngineImpersonation#answerAsFollowerOf} too:
 * only then can the kit script a silent leader that its followers still name. docs/provider-guide.md shows a
 * complete provider and its kit, both compiled and run by this project's build.
 *
 * <p>Each group of requirements lives in a file of its own ({@link RegistrationRequirements},
 * {@link ValidationRequirements}, {@link PlanningRequirements}, {@link JournalStorageRequirements},
 * {@link PropertiesDeliveryRequirements}, {@link QuorumObjectsRequirements}, {@link PodSecurityRequirements},
 * {@link LeaderDiscoveryRequirements}, {@link CleanupRequirements}, {@link ReplicaChangeRequirements},
 * {@link BackupRequirements}); this class gathers them as nested test classes, so one subclass runs them all.
 * Requirements of an optional operation the provider does not declare in its capabilities are skipped, with
 * the reason, in every group alike.
 *
 * <p>The kit knows no engine. It learns names (the StatefulSet, its claim templates, the members, the
 * ConfigMaps and Secrets) from the provider's own plan, and scripts healthy members through the author's
 * {@link EngineImpersonation} before breaking them its own way. It plans runtime {@value SpecFixtures#NAME}
 * in namespace {@value SpecFixtures#NAMESPACE}, and adds properties under {@code cache-ha.testkit.} to check
 * that equal specs give equal plans and that properties reach the pods, so a provider must accept properties
 * it does not know.
 */
public abstract class HighAvailabilityProviderCompatibilityKit {

    /** What the groups check, answered by this class's overridable methods. */
    private final ProviderUnderTest subject = new ProviderUnderTest() {
        @Override
        public HighAvailabilityProvider provider() {
            return HighAvailabilityProviderCompatibilityKit.this.provider();
        }

        @Override
        public EngineImpersonation impersonation() {
            return HighAvailabilityProviderCompatibilityKit.this.impersonation();
        }

        @Override
        public HaSpec.Builder validSpec(String name, String namespace) {
            return HighAvailabilityProviderCompatibilityKit.this.validSpec(name, namespace);
        }

        @Override
        public List<InvalidSpec> engineInvalidSpecs() {
            return HighAvailabilityProviderCompatibilityKit.this.engineInvalidSpecs();
        }

        @Override
        public BackupTarget backupTarget() {
            return HighAvailabilityProviderCompatibilityKit.this.backupTarget();
        }

        @Override
        public List<String> enginePropertiesFiles() {
            return HighAvailabilityProviderCompatibilityKit.this.enginePropertiesFiles();
        }
    };

    /** The provider to check; a new or a shared instance, as the author likes. */
    protected abstract HighAvailabilityProvider provider();

    /** How this engine's members answer as leader or follower, in the requests the provider's discovery sends. */
    protected abstract EngineImpersonation impersonation();

    /**
     * A builder of a spec the provider accepts, which the kit varies. The default is {@link HaSpec#builder}
     * with every default; override it when the engine needs more (an image, a port).
     */
    protected HaSpec.Builder validSpec(String name, String namespace) {
        return HaSpec.builder(name, namespace);
    }

    /** Specs only this engine refuses, checked with the shared corpus of {@link SpecFixtures#invalidSpecs()}. */
    protected List<InvalidSpec> engineInvalidSpecs() {
        return List.of();
    }

    /**
     * The absolute paths, inside the master containers, of the files the engine reads its properties from
     * (for Alluxio, {@code /opt/alluxio/conf/alluxio-site.properties}). The kit follows the plan's objects to
     * each of them and requires every plan property there. The default names none, which fails that
     * requirement: override it.
     */
    protected List<String> enginePropertiesFiles() {
        return List.of();
    }

    /**
     * Where the kit asks this engine to write backups: a volume the masters share at {@code /backups} unless
     * overridden. Only used when the provider offers backups.
     */
    protected BackupTarget backupTarget() {
        return new BackupTarget.SharedVolume("/backups");
    }

    /** Finding the provider. */
    @Nested
    @DisplayName("Registration")
    class Registration extends RegistrationRequirements {
        Registration() {
            super(subject);
        }
    }

    /** Refusing bad specs before anything is planned. */
    @Nested
    @DisplayName("Validation")
    class Validation extends ValidationRequirements {
        Validation() {
            super(subject);
        }
    }

    /** What is planned for a valid spec. */
    @Nested
    @DisplayName("Planning")
    class Planning extends PlanningRequirements {
        Planning() {
            super(subject);
        }
    }

    /** Where the journal lives, and that it goes with the runtime. */
    @Nested
    @DisplayName("Journal storage")
    class JournalStorage extends JournalStorageRequirements {
        JournalStorage() {
            super(subject);
        }
    }

    /** The plan's properties reach the files the engine reads. */
    @Nested
    @DisplayName("Properties delivery")
    class PropertiesDelivery extends PropertiesDeliveryRequirements {
        PropertiesDelivery() {
            super(subject);
        }
    }

    /** The objects that let the masters start together and find each other. */
    @Nested
    @DisplayName("Quorum objects")
    class QuorumObjects extends QuorumObjectsRequirements {
        QuorumObjects() {
            super(subject);
        }
    }

    /** Master pods a production cluster accepts: "restricted", resources, probes. */
    @Nested
    @DisplayName("Pod security")
    class PodSecurity extends PodSecurityRequirements {
        PodSecurity() {
            super(subject);
        }
    }

    /** Finding the leader against scripted members. */
    @Nested
    @DisplayName("Leader discovery")
    class LeaderDiscovery extends LeaderDiscoveryRequirements {
        LeaderDiscovery() {
            super(subject);
        }
    }

    /** Choosing the claims to delete with a runtime. */
    @Nested
    @DisplayName("Cleanup")
    class Cleanup extends CleanupRequirements {
        Cleanup() {
            super(subject);
        }
    }

    /** Changing the size of a running quorum. */
    @Nested
    @DisplayName("Replica change")
    class ReplicaChange extends ReplicaChangeRequirements {
        ReplicaChange() {
            super(subject);
        }
    }

    /** Backups on the leader only, restores of this runtime's backups only, rebuilds that keep a majority. */
    @Nested
    @DisplayName("Backup, restore and rebuild")
    class Recovery extends BackupRequirements {
        Recovery() {
            super(subject);
        }
    }
}
