package dev.cacheha.testkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The base of every group of requirements: the provider under test and the specs the groups plan. A group
 * is an abstract class of JUnit 5 tests; {@link HighAvailabilityProviderCompatibilityKit} runs each as a
 * nested class, handing it the author's answers.
 */
public abstract class ProviderRequirements {

    /** The sizes of quorum a spec allows, smallest first. */
    protected static final List<Integer> QUORUM_SIZES = List.of(1, 3, 5, 7);

    private final ProviderUnderTest subject;

    /** A group that checks {@code subject}. */
    protected ProviderRequirements(ProviderUnderTest subject) {
        this.subject = requireNonNull(subject, "subject");
    }

    /** What this group checks. */
    protected ProviderUnderTest subject() {
        return subject;
    }

    /** The provider under test. */
    protected HighAvailabilityProvider provider() {
        return subject.provider();
    }

    /**
     * Skips the calling requirement, with the reason, unless the provider declares every one of {@code needed}:
     * a requirement of an operation the provider does not offer says nothing about it, so it is neither passed
     * nor failed. Every group reports an operation not offered this one way.
     */
    protected void assumeOffered(Capability... needed) {
        List<Capability> missing = Arrays.stream(needed)
                .filter(capability -> !provider().capabilities().contains(capability)).toList();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "the " + provider().engine() + " provider does not offer "
                + missing + " (its capabilities() are " + provider().capabilities() + ")");
    }

    /** The kit's runtime with {@code replicas} masters. */
    protected HaSpec spec(int replicas) {
        return subject.spec(replicas);
    }

    /** The kit's runtime with its journal in {@code journal}. */
    protected HaSpec spec(JournalStorage journal) {
        return subject.spec(journal);
    }
}
