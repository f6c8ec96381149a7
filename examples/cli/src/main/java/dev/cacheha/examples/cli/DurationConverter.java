package dev.cacheha.examples.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as people type it on a command line: {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601
 * such as {@code PT1.5S}; from {@value #SHORTEST_TEXT} to {@value #LONGEST_TEXT}. Every timeout of
 * {@code cache-ha} is in that range: a shorter one cannot be measured, a longer one is a typo (and past a few
 * centuries would overflow the nanoseconds that deadlines are counted in).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    /** The shortest duration accepted. */
    public static final Duration SHORTEST = Duration.ofMillis(1);
    /** The longest duration accepted. */
    public static final Duration LONGEST = Duration.ofHours(1);

    private static final String SHORTEST_TEXT = "1ms";
    private static final String LONGEST_TEXT = "1 hour";
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m)");

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value.trim());
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration");
        }
        if (duration.compareTo(SHORTEST) < 0 || duration.compareTo(LONGEST) > 0) {
            throw outOfRange(value);
        }
        return duration;
    }

    private static TypeConversionException outOfRange(String value) {
        return new TypeConversionException("'" + value + "' is out of range: a duration is from " + SHORTEST_TEXT
                + " to " + LONGEST_TEXT);
    }

    private static Duration parse(String value) {
        Matcher shortForm = SHORT.matcher(value);
        if (shortForm.matches()) {
            String digits = shortForm.group(1).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 12) {
                // Far beyond the range, and beyond a long once turned into nanoseconds.
                throw outOfRange(value);
            }
            long amount = Long.parseLong(digits);
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException notIso) {
            throw new TypeConversionException("'" + value + "' is not a duration: use 500ms, 2s, 1m or ISO-8601"
                    + " (PT1.5S)");
        }
    }
}
