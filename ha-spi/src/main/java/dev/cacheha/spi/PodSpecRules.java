package dev.cacheha.spi;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The engine-neutral rules of what a spec asks of the master pods: per-process resources, secret-backed
 * properties, and plain properties that look like credentials. Collects every violation, like
 * {@link SpecRules}, whose report it extends.
 */
final class PodSpecRules {

    private static final Pattern PROCESS_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_PROCESS_NAME = 40;
    private static final Pattern SECRET_DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_SUBDOMAIN = 253;
    private static final Set<String> RESOURCE_NAMES = Set.of(ProcessResources.CPU, ProcessResources.MEMORY);
    /** What a property key needs and no more: a secret property's key travels in an init step's environment. */
    private static final Pattern SECRET_PROPERTY_KEY = Pattern.compile("[A-Za-z0-9][-._A-Za-z0-9]*");

    /**
     * Words that mark a property key as a credential, matched in the key in lower case with {@code .},
     * {@code -} and {@code _} removed (so {@code fs.s3a.access.key} and {@code aws.accessKeyId} both match).
     */
    static final List<String> CREDENTIAL_WORDS = List.of("secret", "password", "passwd", "token", "credential",
            "accesskey", "privatekey", "apikey", "sessionkey", "accountkey");

    private static final String CONFIG_MAP_IS_READABLE = "plain properties are written into a ConfigMap, which"
            + " anyone allowed to view the namespace can read";

    private PodSpecRules() {}

    static List<Violation> check(Map<String, ProcessResources> resources,
            Map<String, SecretKeyReference> secretProperties, Map<String, String> properties) {
        List<Violation> violations = new ArrayList<>();
        resources.forEach((process, wanted) -> checkProcess(process, wanted, violations));
        secretProperties.forEach((key, reference) -> checkSecretProperty(key, reference, properties, violations));
        properties.forEach((key, value) -> checkNotACredential(key, value, violations));
        return violations;
    }

    private static void checkProcess(String process, ProcessResources wanted, List<Violation> violations) {
        String field = "resources." + Printable.escape(process);
        if (process.length() > MAX_PROCESS_NAME || !PROCESS_NAME.matcher(process).matches()) {
            violations.add(new Violation(field, "\"" + Printable.escape(process) + "\" is not a process name:"
                    + " at most " + MAX_PROCESS_NAME + " lower-case letters, digits and '-', starting with a"
                    + " letter"));
        }
        checkSide(field + ".requests", wanted.requests(), violations);
        checkSide(field + ".limits", wanted.limits(), violations);
        for (String resource : RESOURCE_NAMES.stream().sorted().toList()) {
            Optional<BigDecimal> request = wanted.request(resource).flatMap(Quantities::amount);
            Optional<BigDecimal> limit = wanted.limit(resource).flatMap(Quantities::amount);
            if (request.isPresent() && limit.isPresent() && request.get().compareTo(limit.get()) > 0) {
                violations.add(new Violation(field + ".requests." + resource, wanted.requests().get(resource)
                        + " is more than the limit " + field + ".limits." + resource + " ("
                        + wanted.limits().get(resource) + "); a request must not exceed its limit"));
            }
        }
    }

    private static void checkSide(String field, Map<String, String> quantities, List<Violation> violations) {
        quantities.forEach((resource, value) -> {
            String path = field + "." + Printable.escape(resource);
            if (!RESOURCE_NAMES.contains(resource)) {
                violations.add(new Violation(path, "is not a resource cache-ha sets; use "
                        + ProcessResources.CPU + " or " + ProcessResources.MEMORY));
                return;
            }
            Optional<BigDecimal> amount = Quantities.amount(value);
            if (amount.isEmpty()) {
                violations.add(new Violation(path, "\"" + Printable.escape(value) + "\" is not a Kubernetes"
                        + " quantity (such as 500m or 2 for cpu, 512Mi or 2Gi for memory)"));
            } else if (amount.get().signum() <= 0) {
                violations.add(new Violation(path, "\"" + value + "\" must be positive"));
            }
        });
    }

    private static void checkSecretProperty(String key, SecretKeyReference reference,
            Map<String, String> properties, List<Violation> violations) {
        String field = "secretProperties[" + Printable.escape(key) + "]";
        if (key.length() > MAX_SUBDOMAIN || !SECRET_PROPERTY_KEY.matcher(key).matches()) {
            // The kubelet expands $(NAME) in the literal environment value the key travels in; no key needs it.
            violations.add(new Violation(field, "a secret property's key may hold only ASCII letters, digits, '.',"
                    + " '-' and '_', starting with a letter or digit, at most " + MAX_SUBDOMAIN + " characters"
                    + " ('$', blanks and the properties format's special characters are refused)"));
        }
        if (properties.containsKey(key)) {
            violations.add(new Violation(field, "is also set in properties[" + Printable.escape(key)
                    + "]; a property takes its value either in plain text or from a Secret, not both"));
        }
        String secret = reference.secret();
        if (secret.isEmpty() || secret.length() > MAX_SUBDOMAIN || !DNS_SUBDOMAIN.matcher(secret).matches()) {
            violations.add(new Violation(field + ".secret", "\"" + Printable.escape(secret) + "\" is not a"
                    + " Secret name: a DNS-1123 subdomain of at most " + MAX_SUBDOMAIN + " characters"));
        }
        String dataKey = reference.key();
        if (dataKey.length() > MAX_SUBDOMAIN || !SECRET_DATA_KEY.matcher(dataKey).matches()
                || dataKey.equals(".") || dataKey.equals("..")) {
            violations.add(new Violation(field + ".key", "\"" + Printable.escape(dataKey) + "\" is not a"
                    + " key of a Secret: 1 to " + MAX_SUBDOMAIN + " letters, digits, '-', '_' and '.'"));
        }
    }

    private static void checkNotACredential(String key, String value, List<Violation> violations) {
        String field = "properties[" + Printable.escape(key) + "]";
        credentialWord(key).ifPresent(word -> violations.add(new Violation(field, "names a credential (\""
                + word + "\"): " + CONFIG_MAP_IS_READABLE + "; put the value in a Secret and set secretProperties["
                + Printable.escape(key) + "] (CLI: --secret-property KEY=SECRET:KEY)")));
        if (hasUserInfo(value)) {
            violations.add(new Violation(field, "the value is a URI with user info (scheme://user[:password]@host),"
                    + " a credential: " + CONFIG_MAP_IS_READABLE + "; give the engine its credential properties"
                    + " in secretProperties instead"));
        }
    }

    /**
     * Whether {@code value} holds a URI whose authority carries user info, such as {@code s3a://KEY:SECRET@bucket}:
     * an {@code @} between a {@code ://} and the next {@code /}, {@code ?}, {@code #}, blank or {@code ,}. One
     * forward scan, no regex.
     */
    static boolean hasUserInfo(String value) {
        int from = 0;
        while (true) {
            int scheme = value.indexOf("://", from);
            if (scheme < 0) {
                return false;
            }
            int at = scheme + 3;
            while (at < value.length() && "/?#, \t".indexOf(value.charAt(at)) < 0) {
                if (value.charAt(at) == '@') {
                    return true;
                }
                at++;
            }
            from = at;
        }
    }

    /** The credential word {@code key} contains, if any; see {@link #CREDENTIAL_WORDS}. */
    static Optional<String> credentialWord(String key) {
        String squashed = key.toLowerCase(Locale.ROOT).replaceAll("[._-]", "");
        return CREDENTIAL_WORDS.stream().filter(squashed::contains).findFirst();
    }
}
