package dev.cacheha.examples.controller.deployment;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the controller runs in its cluster, read from its environment (the Deployment in {@code deploy/} sets it):
 *
 * <ul>
 *   <li>{@value #WATCH_NAMESPACES}: unset or blank = the controller's own namespace; a comma-separated list of
 *       namespaces; {@code *} or {@code ALL} = every namespace ({@code ALL} is upper case, which no namespace
 *       name can be, so it never shadows a namespace called {@code all}).</li>
 *   <li>{@value #POD_NAMESPACE}: the controller's own namespace (the downward API's {@code metadata.namespace});
 *       when unset, the service account's namespace file is read.</li>
 *   <li>{@value #LEASE_NAME} ({@value #DEFAULT_LEASE_NAME} when unset) and {@value #LEASE_NAMESPACE} (the own
 *       namespace when unset): the Lease of the leader election.</li>
 *   <li>{@value #HEALTH_PORT} ({@value #DEFAULT_HEALTH_PORT} when unset): the port of the health endpoint.</li>
 * </ul>
 *
 * <p>Every broken rule is collected and thrown at once, each naming its variable, before anything starts.
 *
 * @param watched the namespaces the informers watch
 * @param lease the Lease the instances elect their leader on
 * @param healthPort the port of {@link HealthEndpoint}
 */
public record DeploymentSettings(WatchedNamespaces watched, LeaseSettings lease, int healthPort) {

    /** The watched namespaces. */
    public static final String WATCH_NAMESPACES = "WATCH_NAMESPACES";
    /** The controller's own namespace. */
    public static final String POD_NAMESPACE = "POD_NAMESPACE";
    /** The leader election Lease's name. */
    public static final String LEASE_NAME = "LEASE_NAME";
    /** The leader election Lease's namespace. */
    public static final String LEASE_NAMESPACE = "LEASE_NAMESPACE";
    /** The health endpoint's port. */
    public static final String HEALTH_PORT = "HEALTH_PORT";
    /** The Lease's name when {@value #LEASE_NAME} is unset; the one {@code deploy/leader-election.yaml} grants. */
    public static final String DEFAULT_LEASE_NAME = "cache-ha-controller";
    /** The health endpoint's port when {@value #HEALTH_PORT} is unset. */
    public static final int DEFAULT_HEALTH_PORT = 8080;
    /** Where Kubernetes puts the namespace of a pod's service account. */
    public static final Path SERVICE_ACCOUNT_NAMESPACE_FILE =
            Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_LABEL = 63;
    private static final int MAX_SUBDOMAIN = 253;
    private static final int MAX_QUOTED = 80;
    private static final String LABEL_RULE = "lowercase letters, digits and '-', starting and ending with a letter"
            + " or digit, at most " + MAX_LABEL + " characters";
    private static final String OWN_NAMESPACE_UNKNOWN = "neither " + POD_NAMESPACE + " nor "
            + SERVICE_ACCOUNT_NAMESPACE_FILE + " names the controller's own namespace";

    public DeploymentSettings {
        requireNonNull(watched, "watched");
        requireNonNull(lease, "lease");
    }

    /**
     * The settings of {@code environment}.
     *
     * @param environment the process's environment variables
     * @param serviceAccountNamespace the content of {@link #SERVICE_ACCOUNT_NAMESPACE_FILE}, if the file exists
     * @throws SettingsRefusedException with every broken rule
     */
    public static DeploymentSettings fromEnvironment(Map<String, String> environment,
            Optional<String> serviceAccountNamespace) {
        List<Violation> violations = new ArrayList<>();
        Optional<String> own = ownNamespace(value(environment, POD_NAMESPACE),
                serviceAccountNamespace.map(String::strip), violations);
        Optional<WatchedNamespaces> watched = watched(value(environment, WATCH_NAMESPACES), own, violations);
        String leaseName = value(environment, LEASE_NAME).orElse(DEFAULT_LEASE_NAME);
        if (leaseName.length() > MAX_SUBDOMAIN || !DNS_SUBDOMAIN.matcher(leaseName).matches()) {
            violations.add(new Violation(LEASE_NAME, quoted(leaseName) + " is not an object name (lowercase"
                    + " letters, digits, '-' and '.', at most " + MAX_SUBDOMAIN + " characters)"));
        }
        Optional<String> leaseNamespace = value(environment, LEASE_NAMESPACE);
        leaseNamespace.ifPresent(namespace -> checkNamespace(LEASE_NAMESPACE, namespace, violations));
        if (leaseNamespace.isEmpty() && own.isEmpty()) {
            violations.add(new Violation(LEASE_NAMESPACE, "unset, which means the controller's own namespace, but "
                    + OWN_NAMESPACE_UNKNOWN + "; set one of them"));
        }
        int healthPort = port(value(environment, HEALTH_PORT), violations);
        if (!violations.isEmpty()) {
            throw new SettingsRefusedException(violations);
        }
        return new DeploymentSettings(watched.orElseThrow(),
                new LeaseSettings(leaseName, leaseNamespace.or(() -> own).orElseThrow()), healthPort);
    }

    /** The content of the service account's namespace file, or empty outside a pod. */
    public static Optional<String> serviceAccountNamespace(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read " + file, unreadable);
        }
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static Optional<String> ownNamespace(Optional<String> podNamespace, Optional<String> accountNamespace,
            List<Violation> violations) {
        if (podNamespace.isPresent()) {
            // An invalid value is reported here once, and still returned: the rules that follow from it would only
            // repeat that it is missing.
            checkNamespace(POD_NAMESPACE, podNamespace.get(), violations);
            if (accountNamespace.isPresent() && !accountNamespace.equals(podNamespace)) {
                violations.add(new Violation(POD_NAMESPACE, quoted(podNamespace.get()) + " differs from the"
                        + " service account's namespace " + quoted(accountNamespace.get()) + " ("
                        + SERVICE_ACCOUNT_NAMESPACE_FILE + "); set it from the downward API's metadata.namespace"));
            }
            return podNamespace;
        }
        return accountNamespace.filter(namespace -> DNS_LABEL.matcher(namespace).matches());
    }

    private static Optional<WatchedNamespaces> watched(Optional<String> setting, Optional<String> own,
            List<Violation> violations) {
        if (setting.isEmpty()) {
            if (own.isEmpty()) {
                violations.add(new Violation(WATCH_NAMESPACES, "unset, which means the controller's own namespace,"
                        + " but " + OWN_NAMESPACE_UNKNOWN + "; set " + POD_NAMESPACE + " from the downward API, or "
                        + WATCH_NAMESPACES + " to namespaces separated by ',' or to * for every namespace"));
            }
            return own.map(WatchedNamespaces::of);
        }
        List<String> names = new ArrayList<>();
        boolean everyNamespace = false;
        String[] entries = setting.get().split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            if (entry.isEmpty()) {
                violations.add(new Violation(WATCH_NAMESPACES, "entry " + (i + 1) + " of "
                        + quoted(setting.get()) + " is empty"));
            } else if (entry.equals("*") || entry.equals("ALL")) {
                everyNamespace = true;
            } else if (checkNamespace(WATCH_NAMESPACES, entry, violations)) {
                names.add(entry);
            }
        }
        if (everyNamespace && entries.length > 1) {
            violations.add(new Violation(WATCH_NAMESPACES, "* (or ALL) means every namespace and cannot be combined"
                    + " with other entries: " + quoted(setting.get())));
        }
        if (everyNamespace) {
            return Optional.of(WatchedNamespaces.all());
        }
        return names.isEmpty() ? Optional.empty() : Optional.of(new WatchedNamespaces.Listed(names));
    }

    private static boolean checkNamespace(String variable, String namespace, List<Violation> violations) {
        boolean valid = namespace.length() <= MAX_LABEL && DNS_LABEL.matcher(namespace).matches();
        if (!valid) {
            violations.add(new Violation(variable, quoted(namespace) + " is not a namespace name (" + LABEL_RULE
                    + ")"));
        }
        return valid;
    }

    private static int port(Optional<String> setting, List<Violation> violations) {
        if (setting.isEmpty()) {
            return DEFAULT_HEALTH_PORT;
        }
        try {
            int port = Integer.parseInt(setting.get());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, like a number out of range
        }
        violations.add(new Violation(HEALTH_PORT, quoted(setting.get()) + " is not a port number (1 to 65535)"));
        return DEFAULT_HEALTH_PORT;
    }

    /** The value in quotes, cut short: an environment variable can be long, a message should not be. */
    private static String quoted(String value) {
        return "\"" + (value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED) + "...") + "\"";
    }
}
