package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * An entry of {@code spec.clients} of a CacheRuntime: the pods of other namespaces that may reach the masters'
 * client ports (never the journal ports) when the plan restricts traffic. Pods of the runtime's namespace always
 * may.
 *
 * @param namespaceLabels labels a namespace must carry, at least one
 * @param podLabels labels a pod in such a namespace must carry; every pod there when missing
 */
public record ClientSpec(@Required @Size(min = 1) Map<String, String> namespaceLabels, Map<String, String> podLabels) {
}
