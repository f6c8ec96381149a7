package dev.cacheha.examples.demo.kubernetes;

import dev.cacheha.examples.controller.rolelabel.RoleLabels;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The tables a person would keep {@code kubectl get} running for, printed each time one changes: the runtimes,
 * the runtime's conditions (the Conditions of {@code kubectl describe}), its pods with their role label, and the
 * backups. A table counts as changed when anything but its ages changed; a table that never had a row is not
 * printed (nothing to see yet), one that lost its last row is ("No resources found").
 */
final class LiveTables implements AutoCloseable {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int MESSAGE_WIDTH = 90;

    private final Narrator narrator;
    private final List<View> views;
    private final Map<String, ServerTable> printed = new HashMap<>();
    private final Thread poller;
    private volatile boolean closed;

    private record View(String command, String emptyMessage, Supplier<ServerTable> table) {}

    LiveTables(Narrator narrator, KubernetesClient client, String namespace, String runtime) {
        this.narrator = narrator;
        String runtimes = "apis/" + CacheRuntime.GROUP + "/" + CacheRuntime.VERSION + "/namespaces/" + namespace;
        String none = "No resources found in " + namespace + " namespace.";
        this.views = List.of(
                new View("kubectl get cacheruntimes", none,
                        () -> ServerTable.get(client, runtimes + "/cacheruntimes", Map.of())),
                new View("kubectl describe cacheruntime " + runtime + "   # Conditions", "(no conditions yet)",
                        () -> conditions(client, namespace, runtime)),
                new View("kubectl get pods -L " + RoleLabels.LABEL, none,
                        () -> ServerTable.get(client, "api/v1/namespaces/" + namespace + "/pods",
                                Map.of("role", RoleLabels.LABEL))),
                new View("kubectl get cacheruntimebackups", none,
                        () -> ServerTable.get(client, runtimes + "/cacheruntimebackups", Map.of())));
        this.poller = new Thread(this::poll, "live-tables");
        poller.setDaemon(true);
        poller.start();
    }

    private static ServerTable conditions(KubernetesClient client, String namespace, String name) {
        CacheRuntime runtime = client.resources(CacheRuntime.class).inNamespace(namespace).withName(name).get();
        List<List<String>> rows = new ArrayList<>();
        if (runtime != null && runtime.getStatus() != null && runtime.getStatus().getConditions() != null) {
            for (Condition condition : runtime.getStatus().getConditions()) {
                String message = condition.getMessage() == null ? "" : condition.getMessage();
                rows.add(List.of(condition.getType(), condition.getStatus(),
                        condition.getReason() == null ? "" : condition.getReason(),
                        message.length() > MESSAGE_WIDTH ? message.substring(0, MESSAGE_WIDTH - 3) + "..." : message));
            }
        }
        return new ServerTable(List.of("TYPE", "STATUS", "REASON", "MESSAGE"), rows);
    }

    private void poll() {
        while (!closed) {
            printChanged();
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Prints every table that changed since it was last printed; the story calls it before it moves on. */
    synchronized void printChanged() {
        for (View view : views) {
            if (closed) {
                return;
            }
            ServerTable now;
            try {
                now = view.table().get();
            } catch (RuntimeException notNow) {
                // The server busy, or the demo stopping (its client closed): the next poll, if any, asks again.
                continue;
            }
            ServerTable last = printed.get(view.command());
            boolean neverShown = last == null && now.rows().isEmpty();
            if (!neverShown && (last == null || !last.withoutAge().equals(now.withoutAge()))) {
                printed.put(view.command(), now);
                narrator.commandWithOutput(view.command(), now.render(view.emptyMessage()));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poller.interrupt();
        poller.join(POLL.toMillis() * 10);
    }
}
