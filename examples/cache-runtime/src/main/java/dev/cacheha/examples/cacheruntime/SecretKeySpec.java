package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Required;

/**
 * {@code spec.secretProperties.<property key>} of a CacheRuntime: the key of a Secret in the runtime's namespace
 * whose value the masters read as the property's value; the value itself is never in the runtime, the plan or its
 * ConfigMap.
 *
 * @param secret the Secret's name
 * @param key the key in the Secret's data
 */
public record SecretKeySpec(@Required String secret, @Required String key) {
}
