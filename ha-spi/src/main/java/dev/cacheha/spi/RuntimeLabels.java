package dev.cacheha.spi;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labels and annotation every provider puts on a runtime's master objects, so that controllers, cleanup
 * and the test kit can select them the same way for every engine. They follow the Kubernetes recommended
 * labels ({@code app.kubernetes.io/*}).
 */
public final class RuntimeLabels {

    /** The engine, such as {@code alluxio}. */
    public static final String NAME = "app.kubernetes.io/name";
    /** The runtime's name. */
    public static final String INSTANCE = "app.kubernetes.io/instance";
    /** The role within the runtime; {@value #MASTER} for everything cache-ha plans. */
    public static final String COMPONENT = "app.kubernetes.io/component";
    /** Who manages the object; {@value #MANAGER}. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** The value of {@link #COMPONENT} for masters. */
    public static final String MASTER = "master";
    /** The value of {@link #MANAGED_BY}. */
    public static final String MANAGER = "cache-ha";

    /**
     * Annotation on a journal claim template (and so on every claim made from it): {@code "true"} when the
     * claim is deleted with its runtime. It states the retention on the object itself, where an operator
     * looking at a claim will see it.
     */
    public static final String DELETE_CLAIM = "cache-ha.dev/delete-claim";

    private RuntimeLabels() {}

    /** The labels of the master objects of runtime {@code runtimeName} of {@code engine}, sorted by key. */
    public static SortedMap<String, String> masters(String engine, String runtimeName) {
        SortedMap<String, String> labels = new TreeMap<>();
        labels.put(NAME, engine);
        labels.put(INSTANCE, runtimeName);
        labels.put(COMPONENT, MASTER);
        labels.put(MANAGED_BY, MANAGER);
        return Collections.unmodifiableSortedMap(labels);
    }
}
