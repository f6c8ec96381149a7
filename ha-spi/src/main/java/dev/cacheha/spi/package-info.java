/**
 * The contract between a Kubernetes controller and a cache engine's master high-availability provider.
 *
 * <p>A controller describes what it wants with an engine-neutral {@link dev.cacheha.spi.HaSpec}, looks up
 * the engine's {@link dev.cacheha.spi.HighAvailabilityProvider} through
 * {@link dev.cacheha.spi.HighAvailabilityProviders}, and gets back:
 * <ul>
 *   <li>an {@link dev.cacheha.spi.HaPlan}: engine properties, journal member addresses and the fabric8
 *       objects to apply;</li>
 *   <li>a {@link dev.cacheha.spi.LeaderDiscovery} that reports a {@link dev.cacheha.spi.LeaderStatus},
 *       reaching pods only through the {@link dev.cacheha.spi.MemberProbe} and {@link dev.cacheha.spi.PodExec}
 *       the controller supplies in a {@link dev.cacheha.spi.ClusterAccess};</li>
 *   <li>a {@link dev.cacheha.spi.CleanupPlan} naming exactly the journal claims the runtime owns;</li>
 *   <li>optionally a {@link dev.cacheha.spi.ReplicaChangePlan} to grow or shrink the quorum safely;</li>
 *   <li>optionally a {@link dev.cacheha.spi.BackupPlan} to run on the leader, a {@link dev.cacheha.spi.RestorePlan}
 *       from a {@link dev.cacheha.spi.Backup}, and a {@link dev.cacheha.spi.MemberRebuildPlan}, or refused
 *       with an {@link dev.cacheha.spi.OperationRefusedException} by the shared
 *       {@link dev.cacheha.spi.RecoveryPreconditions}.</li>
 * </ul>
 * A replica change, a restore and a member rebuild are lists of the one sealed {@link dev.cacheha.spi.Step}
 * vocabulary, each step idempotent, so one runner in a controller runs them all and resumes any of them.
 * A provider states its engine's facts as {@link dev.cacheha.spi.EngineRules}, so that a spec built with
 * {@link dev.cacheha.spi.HaSpec.Builder#build(dev.cacheha.spi.HighAvailabilityProvider)} is checked against
 * the SPI's and the engine's rules in one pass. The SPI depends on the fabric8 core model only; what every
 * provider needs beyond the contract lives in the provider toolkit ({@code ha-toolkit}).
 *
 * <p>Data flows one way: spec, provider, plan; the controller applies the plan. Raft quorums only.
 */
package dev.cacheha.spi;
