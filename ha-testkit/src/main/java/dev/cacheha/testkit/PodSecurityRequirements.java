package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Master pods a production cluster accepts, judged by {@link RestrictedPodCheck} on the pod template of every
 * plan (one and three masters, a journal on claims and in memory): Pod Security "restricted" on every container,
 * init containers included, with no service account token; requests and a memory limit on every container, so
 * no master is BestEffort; and startup, readiness and liveness probes on every master container. That each probe
 * names a port its container declares is the quorum objects' requirement.
 */
public abstract class PodSecurityRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected PodSecurityRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("runs every container of every master pod, init containers included, as Pod Security \"restricted\""
            + " admits it, without a service account token")
    void runsEveryContainerAsRestrictedAdmitsIt() {
        assertThat(findings(finding -> !resources(finding) && !finding.contains("Probe")))
                .as("what a namespace enforcing \"restricted\" refuses").isEmpty();
    }

    @Test
    @DisplayName("gives every container, init containers included, cpu and memory requests and a memory limit")
    void givesEveryContainerRequestsAndAMemoryLimit() {
        assertThat(findings(PodSecurityRequirements::resources)).as("containers without requests or limits")
                .isEmpty();
    }

    @Test
    @DisplayName("starts, readies and keeps alive every master container with startup, readiness and liveness"
            + " probes")
    void probesEveryMasterContainer() {
        assertThat(findings(PodSecurityRequirements::probes)).as("missing probes").isEmpty();
    }

    /** The findings {@code which} selects, over every spec the group plans, each prefixed with the spec. */
    private List<String> findings(Predicate<String> which) {
        List<String> findings = new ArrayList<>();
        for (HaSpec spec : List.of(spec(1), spec(3), spec(JournalStorage.memory("1Gi")))) {
            String label = spec.replicas() + " master(s), journal " + spec.journal() + ": ";
            RestrictedPodCheck.findings(PlanObjects.podSpec(provider().plan(spec))).stream().filter(which)
                    .map(finding -> label + finding).forEach(findings::add);
        }
        return findings;
    }

    private static boolean resources(String finding) {
        return finding.contains(".resources.");
    }

    /** A probe that is missing or asks nothing; a probe of an undeclared port is the quorum objects' finding. */
    private static boolean probes(String finding) {
        return finding.contains("Probe") && !finding.contains("Probe.port:");
    }
}
