package dev.cacheha.examples.controller.deployment;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces the controller's informers watch, and so the RBAC it needs: a {@link Listed} set needs the
 * namespaced Role of {@code deploy/rbac.yaml} in each namespace, {@link AllNamespaces} the ClusterRole of
 * {@code deploy/rbac-cluster.yaml}. Every informer of a controller follows the controller's namespaces.
 */
public sealed interface WatchedNamespaces {

    /** Every namespace of the cluster. */
    static WatchedNamespaces all() {
        return new AllNamespaces();
    }

    /** Exactly {@code names}, at least one. */
    static WatchedNamespaces of(String... names) {
        return new Listed(List.of(names));
    }

    /** Makes a JOSDK controller (and the informers that follow it) watch these namespaces. */
    <R extends HasMetadata> ControllerConfigurationOverrider<R> applyTo(ControllerConfigurationOverrider<R> overrider);

    /** Every namespace: list and watch at cluster scope. */
    record AllNamespaces() implements WatchedNamespaces {

        @Override
        public <R extends HasMetadata> ControllerConfigurationOverrider<R> applyTo(
                ControllerConfigurationOverrider<R> overrider) {
            return overrider.watchingAllNamespaces();
        }

        @Override
        public String toString() {
            return "all namespaces";
        }
    }

    /**
     * A fixed set of namespaces, one informer per namespace and kind.
     *
     * @param names the namespaces, sorted and without duplicates; never empty
     */
    record Listed(List<String> names) implements WatchedNamespaces {

        public Listed {
            names = List.copyOf(new TreeSet<>(requireNonNull(names, "names")));
            if (names.isEmpty()) {
                throw new IllegalArgumentException("names: at least one namespace; use all() for every namespace");
            }
        }

        @Override
        public <R extends HasMetadata> ControllerConfigurationOverrider<R> applyTo(
                ControllerConfigurationOverrider<R> overrider) {
            return overrider.settingNamespaces(Set.copyOf(names));
        }

        @Override
        public String toString() {
            return "namespaces " + String.join(", ", names);
        }
    }
}
