/**
 * The conformance kit every cache-ha provider passes, and the fakes a provider author tests with.
 *
 * <p>{@link dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit} holds the requirements as JUnit 5
 * tests; {@link dev.cacheha.testkit.BackupRequirements} holds those of backups, restores and member rebuilds.
 * {@link dev.cacheha.testkit.ScriptedCluster}, {@link dev.cacheha.testkit.ScriptedMemberProbe} and
 * {@link dev.cacheha.testkit.ScriptedPodExec} stand in for a running quorum; {@link dev.cacheha.testkit.SpecFixtures}
 * and {@link dev.cacheha.testkit.ClaimFixtures} give the specs and claims that catch careless providers.
 */
package dev.cacheha.testkit;
