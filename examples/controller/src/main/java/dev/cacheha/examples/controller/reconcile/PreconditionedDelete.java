package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deletes one object only if it is still the object the controller looked at: the DELETE carries the
 * object's UID as a precondition, so a claim or pod recreated under the same name in between (a new member's
 * journal, a foreign object) is refused by the API server rather than deleted. fabric8's own delete can only
 * lock a resource version, hence the request is built here.
 */
final class PreconditionedDelete {

    private static final long TIMEOUT_SECONDS = 30;

    private final KubernetesClient client;

    PreconditionedDelete(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    /** What the API server did with the request. */
    enum Result {
        /** The object was deleted (or its deletion started). */
        DELETED,
        /** No object of that name exists any more. */
        GONE,
        /** An object of that name exists with another UID; it was left alone. */
        NOT_THE_SAME_OBJECT
    }

    /**
     * Deletes {@code object} (namespace, name and UID taken from its metadata) if its UID is unchanged.
     *
     * @throws KubernetesClientException for any other answer than success, 404 or 409
     */
    Result delete(HasMetadata object) {
        String uid = requireNonNull(object.getMetadata().getUid(), "the object to delete has no uid");
        String body = client.getKubernetesSerialization().asJson(new DeleteOptionsBuilder()
                .withApiVersion("v1").withKind("DeleteOptions")
                .withNewPreconditions().withUid(uid).endPreconditions()
                .withPropagationPolicy("Background")
                .build());
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(url(object))
                .delete("application/json", body)
                .build();
        HttpResponse<String> response;
        try {
            response = client.getHttpClient().sendAsync(request, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while deleting " + describe(object), interrupted);
        } catch (ExecutionException | TimeoutException failed) {
            throw new KubernetesClientException("deleting " + describe(object) + " failed: " + failed, failed);
        }
        return switch (response.code()) {
            case 200, 202 -> Result.DELETED;
            case 404 -> Result.GONE;
            case 409 -> Result.NOT_THE_SAME_OBJECT;
            default -> throw new KubernetesClientException("deleting " + describe(object) + " was refused with "
                    + response.code() + ": " + response.body(), response.code(), null);
        };
    }

    private String url(HasMetadata object) {
        Class<? extends HasMetadata> type = object.getClass();
        String group = HasMetadata.getGroup(type);
        String base = group == null || group.isEmpty()
                ? "api/" + HasMetadata.getVersion(type)
                : "apis/" + group + "/" + HasMetadata.getVersion(type);
        String master = client.getMasterUrl().toString();
        return (master.endsWith("/") ? master : master + "/") + base + "/namespaces/"
                + object.getMetadata().getNamespace() + "/" + HasMetadata.getPlural(type) + "/"
                + object.getMetadata().getName();
    }

    static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }
}
