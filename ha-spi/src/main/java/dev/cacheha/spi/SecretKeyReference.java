package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

/**
 * One key of a Kubernetes Secret in the runtime's namespace: where a credential property takes its value
 * from. The value itself never passes through cache-ha; a plan names only the Secret and the key.
 *
 * @param secret the Secret's name, a DNS-1123 subdomain
 * @param key the key in the Secret's data: letters, digits, {@code -}, {@code _} and {@code .}
 */
public record SecretKeyReference(String secret, String key) {

    /** Requires both parts; their format is checked with the {@link HaSpec} that holds the reference. */
    public SecretKeyReference {
        requireNonNull(secret, "secret");
        requireNonNull(key, "key");
    }

    /** Renders as {@code secret:key}, the form the CLI reads. */
    @Override
    public String toString() {
        return secret + ":" + key;
    }
}
