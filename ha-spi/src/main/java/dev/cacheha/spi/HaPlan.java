package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a provider wants applied for a spec. The same spec always gives an equal plan, with objects in the
 * same order, so a controller that re-applies it changes nothing.
 *
 * <p>The fabric8 objects are mutable by nature; treat them as read-only (copy with their builders before
 * changing anything), since providers may hand out the same plan more than once.
 *
 * @param engine the engine name of the provider that made the plan
 * @param properties the engine properties in the order the engine's configuration file lists them
 * @param members the masters, by ordinal
 * @param journalAddresses the raft journal address of each master, by ordinal
 * @param objects the Kubernetes objects to apply, in an order that can be applied front to back
 */
public record HaPlan(
        String engine,
        Map<String, String> properties,
        List<Member> members,
        List<HostPort> journalAddresses,
        List<HasMetadata> objects) {

    public HaPlan {
        requireNonNull(engine, "engine");
        properties = orderedCopy(properties);
        members = List.copyOf(members);
        journalAddresses = List.copyOf(journalAddresses);
        objects = List.copyOf(objects);
        if (members.size() != journalAddresses.size()) {
            throw new IllegalArgumentException("one journal address per member: " + members.size()
                    + " members, " + journalAddresses.size() + " addresses");
        }
    }

    private static Map<String, String> orderedCopy(Map<String, String> properties) {
        Map<String, String> copy = new LinkedHashMap<>();
        properties.forEach((key, value) -> copy.put(requireNonNull(key, "property key"),
                requireNonNull(value, () -> "value of property " + key)));
        return Collections.unmodifiableMap(copy);
    }

    /** The {@linkplain #properties() properties} as a Java properties file; see {@link #propertiesFile(Map)}. */
    public String propertiesFile() {
        return propertiesFile(properties);
    }

    /**
     * {@code properties} as the text of a Java properties file, the format Alluxio and Jindo read: one
     * {@code key=value} line each, in map order, escaped so that {@link java.util.Properties#load} reads back
     * exactly these entries and no entry can add a line (backslashes, separators and comment marks in keys,
     * leading blanks of values, and everything outside printable ASCII are escaped). Written by hand rather
     * than with {@link java.util.Properties#store}, which adds a time stamp and loses the order: the same
     * properties must give the same bytes.
     */
    public static String propertiesFile(Map<String, String> properties) {
        StringBuilder file = new StringBuilder();
        properties.forEach((key, value) -> file.append(escape(key, true)).append('=')
                .append(escape(value, false)).append('\n'));
        return file.toString();
    }

    private static String escape(String text, boolean key) {
        int first = 0;
        while (first < text.length() && !mustEscape(text.charAt(first), first, key)) {
            first++;
        }
        if (first == text.length()) {
            // The common case, and the long address lists of a plan: no copy char by char.
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!mustEscape(c, i, key)) {
                out.append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append("\\u").append(HexFormat.of().toHexDigits(c));
            } else {
                out.append('\\').append(c);
            }
        }
        return out.toString();
    }

    private static boolean mustEscape(char c, int index, boolean key) {
        return c == '\\' || (key && (c == '=' || c == ':' || c == ' ' || c == '#' || c == '!'))
                || (index == 0 && c == ' ') || c < 0x20 || c > 0x7e;
    }

    /** The first object of {@code type}, for callers that need one kind of object from the plan. */
    public <T extends HasMetadata> java.util.Optional<T> object(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
