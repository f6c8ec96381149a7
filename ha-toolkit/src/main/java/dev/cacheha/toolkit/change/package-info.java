/**
 * Changing the size of a running raft quorum without losing its majority: the engine states the commands that
 * remove (and, where it needs them, add) a member, the toolkit orders the steps.
 */
package dev.cacheha.toolkit.change;
