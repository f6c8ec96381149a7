package dev.cacheha.testkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import java.util.List;

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

    /** The kit's runtime with {@code replicas} masters. */
    protected HaSpec spec(int replicas) {
        return subject.spec(replicas);
    }

    /** The kit's runtime with its journal in {@code journal}. */
    protected HaSpec spec(JournalStorage journal) {
        return subject.spec(journal);
    }
}
