/**
 * Backup on the leader, restore from a backup and member rebuild for a raft engine: the engine states its
 * command and properties, the toolkit checks the SPI's preconditions and orders the steps.
 */
package dev.cacheha.toolkit.recovery;
