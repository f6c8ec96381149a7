/**
 * Pieces of a master pod every provider needs, built once: Pod Security "restricted" contexts, container
 * resources from the spec, a JVM heap that follows the memory limit, probes on named ports, writable
 * directories for a read-only root file system, and the delivery of secret-backed properties.
 *
 * <p>Engine facts (the image's user, the paths it writes, which port each probe asks, which variable a JVM reads
 * its options from) stay in the provider; the classes here take them as arguments.
 */
package dev.cacheha.toolkit.pod;
