package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The facts about an engine that a spec is checked against together with the SPI's own rules, in one pass, so
 * that a user sees every problem of an input at once (see {@link HaSpec.Builder#build(HighAvailabilityProvider)}).
 * A provider states them as data in {@link HighAvailabilityProvider#rules()}; the SPI turns them into rules:
 * <ul>
 *   <li>the runtime's name plus {@code objectNameSuffix} names the StatefulSet, so the name must leave room for
 *       it, for the pods' ordinals and for the pods' {@code controller-revision-hash} label;</li>
 *   <li>a spec may override only the ports named in {@code defaultPorts}, and every port of a master, overridden
 *       or default, must be distinct (an override equal to another port's default is refused);</li>
 *   <li>a spec may not set a {@code reservedProperties} key: the provider derives it from the spec;</li>
 *   <li>a spec's {@code resources} may name only the engine's {@code processes}, when the engine states
 *       them.</li>
 * </ul>
 *
 * @param engine the engine's name as users know it, for messages, such as {@code alluxio}
 * @param objectNameSuffix what the provider appends to the runtime's name for its StatefulSet, such as
 *     {@code -master}; may be empty
 * @param defaultPorts every port of a master by its spec port name, with the engine's default number, in the
 *     order the plan lists them
 * @param reservedProperties the property keys the provider generates, each with what a user sets instead
 * @param processes the names of the engine's processes (one per master container) that a spec's
 *     {@link HaSpec#resources()} may set, such as {@code master}; empty if the engine states none, and then any
 *     name passes these rules
 */
public record EngineRules(
        String engine, String objectNameSuffix, Map<String, Integer> defaultPorts,
        SortedMap<String, String> reservedProperties, SortedSet<String> processes) {

    public EngineRules {
        requireNonNull(engine, "engine");
        requireNonNull(objectNameSuffix, "objectNameSuffix");
        defaultPorts = Collections.unmodifiableMap(new LinkedHashMap<>(defaultPorts));
        reservedProperties = Collections.unmodifiableSortedMap(new TreeMap<>(reservedProperties));
        defaultPorts.forEach((name, port) -> {
            requireNonNull(port, () -> "default port " + name);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("default port " + name + " is not a port number: " + port);
            }
        });
        reservedProperties.values().forEach(instead -> requireNonNull(instead, "reservedProperties value"));
        processes = Collections.unmodifiableSortedSet(new TreeSet<>(processes));
    }

    /** The rules of an engine that states no process names: any name in a spec's resources passes them. */
    public EngineRules(String engine, String objectNameSuffix, Map<String, Integer> defaultPorts,
            SortedMap<String, String> reservedProperties) {
        this(engine, objectNameSuffix, defaultPorts, reservedProperties, new TreeSet<>());
    }

    /**
     * The rules of an engine that states no facts: any port name, no reserved property, no suffix. The default
     * of {@link HighAvailabilityProvider#rules()}, and what {@link HaSpec} alone checks.
     */
    public static EngineRules none(String engine) {
        return new EngineRules(engine, "", Map.of(), new TreeMap<>(), new TreeSet<>());
    }

    /** The ports of {@code spec}'s masters by name, in the order of {@link #defaultPorts()}: overrides win. */
    public Map<String, Integer> ports(HaSpec spec) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        defaultPorts.forEach((name, number) -> ports.put(name, spec.port(name, number)));
        return Collections.unmodifiableMap(ports);
    }

    /** The port called {@code name} in {@code spec}; it must be one of {@link #defaultPorts()}. */
    public int port(HaSpec spec, String name) {
        Integer number = defaultPorts.get(name);
        if (number == null) {
            throw new IllegalArgumentException("the " + engine + " rules name no port \"" + name + "\"; known: "
                    + defaultPorts.keySet());
        }
        return spec.port(name, number);
    }

    /** Every violation of these rules, and of no other, in {@code spec}; empty if it obeys them. */
    public List<Violation> violations(HaSpec spec) {
        return SpecRules.engineViolations(this, spec.name(), spec.replicas(), spec.ports(), spec.properties(),
                spec.resources());
    }
}
