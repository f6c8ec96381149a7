package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.validSpec;
import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replica rule: an odd quorum of at most seven masters. */
class ReplicaRulesTest {

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5, 7})
    void anOddQuorumOfAtMostSevenIsAccepted(int replicas) {
        // Given an odd replica count up to 7
        // When the spec is built
        HaSpec spec = validSpec().replicas(replicas).build();

        // Then the count is kept
        assertThat(spec.replicas()).isEqualTo(replicas);
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void fewerThanOneMasterIsRefused(int replicas) {
        assertThat(violationsOf(validSpec().replicas(replicas))).containsExactly(new Violation("replicas",
                replicas + " is below 1: a runtime needs at least one master"));
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {2, 4, 6})
    void anEvenCountIsRefusedBecauseItToleratesNoMoreFailuresThanTheOddCountBelow(int replicas) {
        // Given an even replica count
        // When the spec is built
        // Then the rule says the count is even, that it tolerates no more failures than the odd count below,
        // and which odd counts to use instead
        assertThat(violationsOf(validSpec().replicas(replicas))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("replicas");
            assertThat(violation.rule())
                    .startsWith(replicas + " is even")
                    .contains(replicas + " masters tolerate no more failures than " + (replicas - 1))
                    .contains("a majority of " + replicas + " is " + (replicas / 2 + 1))
                    .endsWith("use " + (replicas - 1) + " or " + (replicas + 1));
        });
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {8, 9, 11, Integer.MAX_VALUE})
    void moreThanSevenMastersIsRefusedBecauseEveryWriteWaitsForAMajority(int replicas) {
        assertThat(violationsOf(validSpec().replicas(replicas))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("replicas");
            assertThat(violation.rule())
                    .startsWith(replicas + " is more than 7")
                    .contains("every journal write waits for a majority")
                    .endsWith("use 1, 3, 5 or 7");
        });
    }
}
