package dev.cacheha.examples.cacheruntime;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * {@code spec.resources.<process>} of a CacheRuntime: the requests and limits of one engine process, each a
 * quantity such as {@code 500m}, {@code 2Gi} or {@code 1}, as in a container's resources.
 *
 * @param requests requests by resource name ({@code cpu}, {@code memory}); missing ones keep the engine's
 * @param limits limits by resource name; missing ones keep the engine's
 */
public record ResourcesSpec(Map<String, Quantity> requests, Map<String, Quantity> limits) {
}
