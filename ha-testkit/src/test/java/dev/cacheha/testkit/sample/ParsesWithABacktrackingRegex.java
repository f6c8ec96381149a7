package dev.cacheha.testkit.sample;

import dev.cacheha.spi.LeaderStatus.Role;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads its members' answers with the pattern Jindo's provider used ({@code ^\s*role\s*:} with MULTILINE, here
 * {@code ^\s*(leader|follower)}): right on every answer a member gives, and quadratic in a run of line breaks,
 * after the bounded call has returned.
 */
public final class ParsesWithABacktrackingRegex extends SampleHighAvailabilityProvider {

    private static final Pattern ROLE = Pattern.compile("^\\s*(leader|follower)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    /**
     * How long one reading may burn a core before it gives up. The kit fails this provider seconds earlier; the
     * fuse only keeps the abandoned readings from running for hours beside the rest of the build.
     */
    private static final Duration FUSE = Duration.ofSeconds(4);

    @Override
    public String engine() {
        return "sample-backtracking";
    }

    @Override
    protected Role roleIn(String body) {
        Matcher matcher = ROLE.matcher(new FusedText(body, System.nanoTime() + FUSE.toNanos()));
        Role role = matcher.find() ? Role.valueOf(matcher.group(1).toUpperCase(Locale.ROOT)) : Role.UNKNOWN;
        return role == super.roleIn(body) ? role : Role.UNKNOWN;
    }

    /** Text that stops a regex reading it once its fuse has burnt, by throwing. */
    private record FusedText(String text, long fuseNanos) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if ((index & 0xfff) == 0 && System.nanoTime() > fuseNanos) {
                throw new IllegalStateException("the backtracking reading burnt its fuse");
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new FusedText(text.substring(start, end), fuseNanos);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
