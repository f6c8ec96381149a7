/**
 * Real Alluxio masters on one machine, configured from the provider's plan: the harness of the real-quorum
 * tests and of the CLI demo. {@link dev.cacheha.alluxio.local.LocalAlluxioQuorum} starts one JVM per member
 * from an {@link dev.cacheha.alluxio.local.AlluxioClasspath}, so no Alluxio class is ever loaded in the caller.
 */
package dev.cacheha.alluxio.local;
