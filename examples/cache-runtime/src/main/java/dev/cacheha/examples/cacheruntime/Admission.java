package dev.cacheha.examples.cacheruntime;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the party that applies a runtime's plan decides, rather than the runtime's author: the same document means
 * the same masters wherever it is translated, but a controller serving many tenants holds every runtime to its
 * own settings, while {@code cache-ha render} renders what the file asks for.
 *
 * @param clusterDomain the one cluster domain runtimes run in, when the applier fixes it (a controller sends its
 *     requests to the members' addresses in it); empty: the runtime's own, {@code cluster.local} when missing
 * @param allowedImages the images a runtime may name besides its engine's default, when the applier limits them
 *     (anyone who may create a runtime would otherwise run an image of their choice with the masters' volumes);
 *     empty: any image
 * @param clientNamespace a namespace whose pods must reach every runtime's masters (the controller's own, for
 *     leader discovery), added to the runtime's clients when it lives elsewhere; empty: none
 */
public record Admission(Optional<String> clusterDomain, Optional<SortedSet<String>> allowedImages,
        Optional<String> clientNamespace) {

    /** Copies the image set, sorted. */
    public Admission {
        requireNonNull(clusterDomain, "clusterDomain");
        allowedImages = requireNonNull(allowedImages, "allowedImages")
                .map(images -> (SortedSet<String>) new TreeSet<>(images));
        requireNonNull(clientNamespace, "clientNamespace");
    }

    /** The document as written: its own cluster domain and image, no client added. */
    public static Admission asWritten() {
        return new Admission(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
