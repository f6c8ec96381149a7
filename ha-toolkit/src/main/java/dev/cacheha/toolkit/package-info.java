/**
 * The provider toolkit: what every raft engine's {@link dev.cacheha.spi.HighAvailabilityProvider} needs,
 * built once so that a provider holds only its engine's facts.
 */
package dev.cacheha.toolkit;
