package dev.cacheha.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of {@link HaSpec#clients()}: each selector names at least one namespace label, and every label key
 * and value is one Kubernetes accepts, so the NetworkPolicy that renders them is never refused by the API server.
 */
final class ClientRules {

    /** Enough for any real set of client namespaces; a policy with hundreds of peers is a mistake. */
    static final int MAX_CLIENTS = 16;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_NAME = 63;
    private static final int MAX_PREFIX = 253;

    private ClientRules() {}

    static List<Violation> check(List<ClientSelector> clients) {
        List<Violation> violations = new ArrayList<>();
        if (clients.size() > MAX_CLIENTS) {
            violations.add(new Violation("clients", clients.size() + " client selectors; at most " + MAX_CLIENTS));
        }
        for (int i = 0; i < clients.size(); i++) {
            String field = "clients[" + i + "]";
            ClientSelector client = clients.get(i);
            if (client.namespaceLabels().isEmpty()) {
                violations.add(new Violation(field + ".namespaceLabels", "is empty: a selector without namespace"
                        + " labels would open the masters' client ports to every namespace; name at least one"
                        + " label, such as kubernetes.io/metadata.name: <namespace>"));
            }
            checkLabels(field + ".namespaceLabels", client.namespaceLabels(), violations);
            checkLabels(field + ".podLabels", client.podLabels(), violations);
        }
        return violations;
    }

    private static void checkLabels(String field, Map<String, String> labels, List<Violation> violations) {
        labels.forEach((key, value) -> {
            String path = field + "[" + Printable.escape(key) + "]";
            if (!labelKey(key)) {
                violations.add(new Violation(path, "is not a label key: an optional DNS subdomain prefix of at"
                        + " most " + MAX_PREFIX + " characters and '/', then a name of 1 to " + MAX_NAME
                        + " letters, digits, '-', '_' and '.', starting and ending with a letter or digit"));
            }
            if (!value.isEmpty() && !name(value)) {
                violations.add(new Violation(path, "\"" + Printable.escape(value) + "\" is not a label value:"
                        + " empty, or 1 to " + MAX_NAME + " letters, digits, '-', '_' and '.', starting and ending"
                        + " with a letter or digit"));
            }
        });
    }

    private static boolean labelKey(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return name(key);
        }
        String prefix = key.substring(0, slash);
        return !prefix.isEmpty() && prefix.length() <= MAX_PREFIX && DNS_SUBDOMAIN.matcher(prefix).matches()
                && name(key.substring(slash + 1));
    }

    private static boolean name(String text) {
        return !text.isEmpty() && text.length() <= MAX_NAME && NAME.matcher(text).matches();
    }
}
