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
    private static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod";
    private static final Set<String> ACCESS_MODES =
            Set.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", READ_WRITE_ONCE_POD);

    private SpecRules() {}

    /**
     * Every violation of the SPI's rules and of {@code engine}'s, in one list: the SPI's rules field by field,
     * then the engine's port and property rules. The name's length is checked once, with the engine's suffix.
     */
    static List<Violation> check(String name, String namespace, int replicas, JournalStorage journal,
            String clusterDomain, Map<String, Integer> ports, Map<String, String> properties,
            Optional<String> image, Map<String, ProcessResources> resources,
            Map<String, SecretKeyReference> secretProperties, EngineRules engine) {
        List<Violation> violations = new ArrayList<>();
        if (checkName(name, violations)) {
            checkNameLength(name, replicas, engine.objectNameSuffix(), violations);
        }
        checkLabel("namespace", namespace, violations);
        checkReplicas(replicas, violations);
        checkJournal(journal, violations);
        checkSubdomain("clusterDomain", clusterDomain, violations);
        checkPorts(ports, violations);
        checkProperties(properties, violations);
        image.ifPresent(value -> checkImage(value, violations));
        violations.addAll(PodSpecRules.check(resources, secretProperties, properties));
        checkEnginePorts(engine, ports, violations);
        checkReservedProperties(engine, properties, violations);
        checkEngineProcesses(engine, resources, violations);
        return violations;
    }

    /** The violations of {@code engine}'s rules alone, for a spec that already obeys the SPI's. */
    static List<Violation> engineViolations(EngineRules engine, String name, int replicas,
            Map<String, Integer> ports, Map<String, String> properties, Map<String, ProcessResources> resources) {
        List<Violation> violations = new ArrayList<>();
        checkNameLength(name, replicas, engine.objectNameSuffix(), violations);
        checkEnginePorts(engine, ports, violations);
        checkReservedProperties(engine, properties, violations);
        checkEngineProcesses(engine, resources, violations);
        return violations;
    }

    /** Adds a violation unless {@code name} is a DNS-1035 label; returns whether it is one. */
    private static boolean checkName(String name, List<Violation> violations) {
        if (!checkLabel("name", name, violations)) {
            return false;
        }
        if (!Character.isLetter(name.charAt(0))) {
            violations.add(new Violation("name", quote(name) + " must start with a letter: the masters' headless"
                    + " Service is named after it, and Service names are DNS-1035 labels"));
            return false;
        }
        return true;
    }

    /** The StatefulSet is {@code name + suffix}; its pods and their revision-hash label must fit in a label. */
    private static void checkNameLength(String name, int replicas, String suffix, List<Violation> violations) {
        String longestPod = name + suffix + "-" + Math.max(0, replicas - 1);
        if (longestPod.length() > MAX_LABEL) {
            violations.add(new Violation("name", "\"" + name + "\" is too long: pod name \"" + longestPod
                    + "\" has " + longestPod.length() + " characters, more than " + MAX_LABEL));
        } else if ((name + suffix).length() + REVISION_HASH_SUFFIX > MAX_LABEL) {
            int most = MAX_LABEL - REVISION_HASH_SUFFIX - suffix.length();
            violations.add(new Violation("name", "\"" + name + "\" is too long: at most " + most
                    + " characters, so that the StatefulSet \"" + name + suffix
                    + "\" and its pods' controller-revision-hash label fit in " + MAX_LABEL));
        }
    }

    /**
     * Port names the engine does not have, and overrides equal to another port's default: the spec alone sees
     * only its overrides, so it cannot tell that {@code rpc=8103} takes the raft port Jindo keeps by default.
     */
    /** Resources may name only the engine's processes, when it states them. */
    private static void checkEngineProcesses(EngineRules engine, Map<String, ProcessResources> resources,
            List<Violation> violations) {
        if (engine.processes().isEmpty()) {
            return;
        }
        resources.keySet().stream()
                .filter(process -> !engine.processes().contains(process))
                .forEach(process -> violations.add(new Violation("resources." + printable(process), quote(process)
                        + " is not a process of " + engine.engine() + " masters; known processes: "
                        + String.join(", ", engine.processes()))));
    }

    private static void checkEnginePorts(EngineRules engine, Map<String, Integer> ports, List<Violation> violations) {
        if (engine.defaultPorts().isEmpty()) {
            return;
        }
        ports.keySet().stream()
                .filter(portName -> !engine.defaultPorts().containsKey(portName))
                .forEach(portName -> violations.add(new Violation("ports." + printable(portName), quote(portName)
                        + " is not a port of " + engine.engine() + " masters; known ports: "
                        + String.join(", ", engine.defaultPorts().keySet()))));
        ports.forEach((portName, port) -> engine.defaultPorts().forEach((other, defaultPort) -> {
            if (!other.equals(portName) && !ports.containsKey(other) && defaultPort.equals(port)) {
                violations.add(new Violation("ports." + printable(portName), port + " is already the default port"
                        + " of ports." + other + " of " + engine.engine() + " masters; every port must be distinct:"
                        + " choose another number or move ports." + other + " too"));
            }
        }));
    }

    private static void checkReservedProperties(EngineRules engine, Map<String, String> properties,
            List<Violation> violations) {
        engine.reservedProperties().forEach((key, instead) -> {
            if (properties.containsKey(key)) {
                violations.add(new Violation("properties[" + key + "]", "is generated by the " + engine.engine()
                        + " plan and must not be set: " + instead));
            }
        });
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
            violations.add(new Violation(field,
                    quote(value) + " is not a Kubernetes quantity (such as 10Gi or 500Mi)"));
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
        return Printable.mustEscape(c);
    }

    /** Shows control characters as escapes so an error message cannot itself be used to forge lines. */
    private static String printable(String value) {
        return Printable.escape(value);
    }

    private static String quote(String value) {
        return "\"" + printable(value) + "\"";
    }
}
