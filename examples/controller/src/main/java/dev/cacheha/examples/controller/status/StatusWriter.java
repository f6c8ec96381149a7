package dev.cacheha.examples.controller.status;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Writes the status of a runtime (or of another resource of this controller, such as a backup), and only when it
 * changed, so an unchanged resource costs no write.
 *
 * <p>The status is replaced whole with a JSON patch ({@code add /status}) that carries no resource version:
 * the controller is the status's only writer, so a spec edit by a user in between cannot conflict with it, and
 * fields that became empty (a finished replica change) are really removed, which a merge patch of the object
 * would not do. A 409 all the same (a webhook, a proxy) is retried a few times with the same patch. The answer
 * is put into the framework's cache ({@link PrimaryUpdateAndCacheUtils}), so the next reconcile reads the
 * progress it just recorded even before the watch event arrives. Every string of the status is bounded first
 * ({@link StatusText}).
 */
public final class StatusWriter {

    private static final int ATTEMPTS = 3;

    private final KubernetesClient client;

    /** A writer that sends its patches through {@code client}. */
    public StatusWriter(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    /** Writes {@code status} on {@code runtime} unless it already has it; returns the resource as it is now. */
    public <S, R extends CustomResource<?, S>> R write(R runtime, S unbounded, Context<R> context) {
        S status = bounded(unbounded);
        if (Objects.equals(runtime.getStatus(), status)) {
            return runtime;
        }
        String patch = client.getKubernetesSerialization().asJson(List.of(Map.of("op", "add", "path", "/status",
                "value", status)));
        try {
            // The framework puts the answer into its cache. Its own retry is for writes that carry a resource
            // version (it waits for a newer one in the cache); this patch carries none, so a conflict is retried
            // at once, below, and the framework's retry is off.
            return PrimaryUpdateAndCacheUtils.updateAndCacheResource(runtime, context, UnaryOperator.identity(),
                    cached -> patch(cached, patch), 0, 0, 0);
        } catch (OperatorException notWritten) {
            throw notWritten.getCause() instanceof KubernetesClientException refused ? refused : notWritten;
        }
    }

    private <R extends CustomResource<?, ?>> R patch(R runtime, String patch) {
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                @SuppressWarnings("unchecked")
                Class<R> kind = (Class<R>) runtime.getClass();
                // Addressed by the cached resource, not by name: a patch by name GETs the object first, a request
                // for nothing on every status write (seen on the mock server's log in the scale benchmark).
                return client.resources(kind)
                        .inNamespace(runtime.getMetadata().getNamespace())
                        .resource(runtime)
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), patch);
            } catch (KubernetesClientException refused) {
                if (refused.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw refused;
                }
                last = refused;
            }
        }
        throw last;
    }

    /** {@code status} with every string cut to {@link StatusText#MAX_CHARACTERS}, compared as it is written. */
    @SuppressWarnings("unchecked")
    private <S> S bounded(S status) {
        if (status == null) {
            return null;
        }
        KubernetesSerialization serialization = client.getKubernetesSerialization();
        Object tree = serialization.convertValue(status, Map.class);
        Object bounded = StatusText.boundedTree(tree);
        return bounded == tree ? status : (S) serialization.convertValue(bounded, status.getClass());
    }
}
