package dev.cacheha.examples.controller.fake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/** What the scale benchmarks read off the controller, on the mock server and on the real control plane alike. */
public final class ScaleFigures {

    private ScaleFigures() {}

    /** JOSDK's per-runtime count of reconciles that returned, by runtime name, from {@code registry}. */
    public static Map<String, Double> successfulReconciles(MeterRegistry registry) {
        Map<String, Double> counts = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            String runtime = meter.getId().getTag("name");
            if (meter.getId().getName().endsWith("reconciliations.success") && runtime != null
                    && meter instanceof Counter counter) {
                counts.merge(runtime, counter.count(), Double::sum);
            }
        }
        return counts;
    }

    /** Heap in use once a full collection has run, taken as the least of a few collections. */
    public static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int collection = 0; collection < 3; collection++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
