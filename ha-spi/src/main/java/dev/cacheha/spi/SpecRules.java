package dev.cacheha.spi;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The engine-neutral rules every {@link HaSpec} obeys. Collects every violation; never stops at the first. */
final class SpecRules {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LABEL = 63;
    private static final int MAX_SUBDOMAIN = 253;
    /** A StatefulSet's pods carry {@code controller-revision-hash=<statefulset>-<10 characters>}. */
    private static final int REVISION_HASH_SUFFIX = 11;
    private static final String MASTER_SUFFIX = "-master";
    private static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod";
    private static final Set<String> ACCESS_MODES =
            Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", READ_WRITE_ONCE_POD);

    private SpecRules() {}

    static List<Violation> check(String name, String namespace, int replicas, JournalStorage journal,
            String clusterDomain, Map<String, Integer> ports, Map<String, String> properties,
            Optional<String> image) {
        List<Violation> violations = new ArrayList<>();
        checkName(name, replicas, violations);
        checkLabel("namespace", namespace, violations);
        checkReplicas(replicas, violations);
        checkJournal(journal, violations);
        checkSubdomain("clusterDomain", clusterDomain, violations);
        checkPorts(ports, violations);
        checkProperties(properties, violations);
        image.ifPresent(value -> checkImage(value, violations));
        return violations;
    }

    private static void checkName(String name, int replicas, List<Violation> violations) {
        if (!checkLabel("name", name, violations)) {
            return;
        }
        if (!Character.isLetter(name.charAt(0))) {
            violations.add(new Violation("name", quote(name) + " must start with a letter: the masters' headless"
                    + " Service is named after it, and Service names are DNS-1035 labels"));
            return;
        }
        String longestPod = name + MASTER_SUFFIX + "-" + Math.max(0, replicas - 1);
        if (longestPod.length() > MAX_LABEL) {
            violations.add(new Violation("name", "\"" + name + "\" is too long: pod name \"" + longestPod
                    + "\" has " + longestPod.length() + " characters, more than " + MAX_LABEL));
        } else if ((name + MASTER_SUFFIX).length() + REVISION_HASH_SUFFIX > MAX_LABEL) {
            int most = MAX_LABEL - REVISION_HASH_SUFFIX - MASTER_SUFFIX.length();
            violations.add(new Violation("name", "\"" + name + "\" is too long: at most " + most
                    + " characters, so that the StatefulSet \"" + name + MASTER_SUFFIX
                    + "\" and its pods' controller-revision-hash label fit in " + MAX_LABEL));
        }
    }

    /** Adds a violation unless {@code value} is a DNS-1123 label; returns whether it is one. */
    private static boolean checkLabel(String field, String value, List<Violation> violations) {
        if (value == null || value.isEmpty()) {
            violations.add(new Violation(field, "is required"));
            return false;
        }
        if (value.length() > MAX_LABEL || !DNS_LABEL.matcher(value).matches()) {
            violations.add(new Violation(field, quote(value) + " is not a DNS-1123 label: at most " + MAX_LABEL
                    + " lower-case letters, digits and '-', starting and ending with a letter or digit"));
            return false;
        }
        return true;
    }

    private static void checkSubdomain(String field, String value, List<Violation> violations) {
        if (value.isEmpty()) {
            violations.add(new Violation(field, "must not be empty"));
            return;
        }
        boolean valid = value.length() <= MAX_SUBDOMAIN;
        for (String label : value.split("\\.", -1)) {
            valid &= label.length() <= MAX_LABEL && DNS_LABEL.matcher(label).matches();
        }
        if (!valid) {
            violations.add(new Violation(field, quote(value) + " is not a DNS-1123 subdomain: dot-separated"
                    + " DNS-1123 labels, at most " + MAX_SUBDOMAIN + " characters in all"));
        }
    }

    private static void checkReplicas(int replicas, List<Violation> violations) {
        if (replicas < 1) {
            violations.add(new Violation("replicas", replicas + " is below 1: a runtime needs at least one master"));
        } else if (replicas > HaSpec.MAX_REPLICAS) {
            violations.add(new Violation("replicas", replicas + " is more than " + HaSpec.MAX_REPLICAS
                    + ": every journal write waits for a majority, so a larger quorum only slows writes;"
                    + " use 1, 3, 5 or 7"));
        } else if (replicas % 2 == 0) {
            violations.add(new Violation("replicas", replicas + " is even: " + replicas
                    + " masters tolerate no more failures than " + (replicas - 1) + " (a majority of "
                    + replicas + " is " + (replicas / 2 + 1) + "); use " + (replicas - 1) + " or "
                    + (replicas + 1)));
        }
    }

    private static void checkJournal(JournalStorage journal, List<Violation> violations) {
        if (journal == null) {
            violations.add(new Violation("journal", "is required"));
        } else if (journal instanceof JournalStorage.PersistentVolume volume) {
            checkSubdomain("journal.storageClass", volume.storageClass(), violations);
            checkQuantity("journal.size", volume.size(), violations);
            List<String> modes = volume.accessModes();
            for (int i = 0; i < modes.size(); i++) {
                if (!ACCESS_MODES.contains(modes.get(i))) {
                    violations.add(new Violation("journal.accessModes[" + i + "]", quote(modes.get(i))
                            + " is not an access mode; use one of " + ACCESS_MODES.stream().sorted().toList()));
                }
            }
            Set<String> distinctModes = Set.copyOf(modes);
            String shownModes = printable(modes.toString());
            if (distinctModes.size() != modes.size()) {
                violations.add(new Violation("journal.accessModes", shownModes + " lists an access mode twice"));
            }
            if (distinctModes.contains(READ_WRITE_ONCE_POD) && distinctModes.size() > 1) {
                violations.add(new Violation("journal.accessModes", shownModes + " combines " + READ_WRITE_ONCE_POD
                        + " with other access modes, which Kubernetes refuses; use it alone"));
            }
        } else if (journal instanceof JournalStorage.EmptyDir emptyDir) {
            checkQuantity("journal.sizeLimit", emptyDir.sizeLimit(), violations);
        }
    }

    private static void checkQuantity(String field, String value, List<Violation> violations) {
        BigDecimal amount;
        try {
            amount = Quantity.getAmountInBytes(new Quantity(value));
        } catch (RuntimeException notAQuantity) {
            violations.add(new Violation(field, quote(value) + " is not a Kubernetes quantity (such as 10Gi or 500Mi)"));
            return;
        }
        if (amount.compareTo(BigDecimal.ONE) < 0) {
            violations.add(new Violation(field, quote(value) + " must be at least one byte"));
        }
    }

    private static void checkPorts(Map<String, Integer> ports, List<Violation> violations) {
        Map<Integer, String> seen = new HashMap<>();
        ports.forEach((portName, port) -> {
            String field = "ports." + printable(portName);
            if (portName.length() > 15 || !PORT_NAME.matcher(portName).matches() || portName.contains("--")) {
                violations.add(new Violation(field, quote(portName) + " is not a port name: at most 15 lower-case"
                        + " letters, digits and '-', starting with a letter, ending with a letter or digit,"
                        + " without '--'"));
            }
            if (port < 1 || port > 65535) {
                violations.add(new Violation(field, port + " is not a port number: use 1 to 65535"));
            } else {
                String other = seen.putIfAbsent(port, portName);
                if (other != null) {
                    violations.add(new Violation(field, port + " is already the port of ports." + other
                            + "; every port must be distinct"));
                }
            }
        });
    }

    private static void checkProperties(Map<String, String> properties, List<Violation> violations) {
        properties.forEach((key, value) -> {
            String field = "properties[" + printable(key) + "]";
            propertyKeyRule(key).ifPresent(rule -> violations.add(new Violation(field, rule)));
            if (value.chars().anyMatch(SpecRules::isControlOrLineBreak)) {
                violations.add(new Violation(field, "the value " + quote(printable(value))
                        + " contains a line break or control character"));
            }
        });
    }

    /** The rule a property key breaks, if any: shared by plain and secret-backed properties. */
    static Optional<String> propertyKeyRule(String key) {
        if (key.isBlank()) {
            return Optional.of("a property key must not be blank");
        }
        if (hasControlOrSpace(key) || key.indexOf('=') >= 0 || key.indexOf(':') >= 0
                || key.startsWith("#") || key.startsWith("!") || key.indexOf('\\') >= 0) {
            return Optional.of("a property key must not contain white space, control characters, '=', ':', '\\'"
                    + " or start with '#' or '!': it would change the meaning of the properties file");
        }
        return Optional.empty();
    }

    private static void checkImage(String image, List<Violation> violations) {
        if (image.isBlank() || hasControlOrSpace(image)) {
            violations.add(new Violation("image", quote(printable(image))
                    + " is not an image reference: it must be non-empty, without white space or control characters"));
        }
    }

    private static boolean hasControlOrSpace(String value) {
        return value.chars().anyMatch(c -> isControlOrLineBreak(c) || Character.isWhitespace(c));
    }

    private static boolean isControlOrLineBreak(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085';
    }

    /** Shows control characters as escapes so an error message cannot itself be used to forge lines. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.chars().forEach(c -> {
            if (isControlOrLineBreak(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }

    private static String quote(String value) {
        return "\"" + printable(value) + "\"";
    }
}
