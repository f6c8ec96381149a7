package dev.cacheha.examples.cli.leader;

import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.MemberProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes what members say about their leader comparable with the plan the CLI built for them. The plan names
 * member {@code i} by a cluster DNS name; the members themselves name their leader by the journal address it
 * really listens on ({@code host_port} or {@code host:port}). Every such address of a member, in an answer, is
 * replaced by that member's address in the plan, so the provider's rule (a follower naming a leader that is no
 * member dissents) applies to the real quorum; an address of no member stays as it is, and so dissents.
 *
 * <p>One forward scan over the answer, no regex: the text comes from a member.
 *
 * @param real each member's real journal address, by ordinal
 * @param plan each member's journal address in the plan, by ordinal
 */
record JournalAddressTranslation(List<HostPort> real, List<HostPort> plan) {

    private static final int MAX_PORT_DIGITS = 5;

    JournalAddressTranslation {
        real = List.copyOf(real);
        plan = List.copyOf(plan);
        if (real.size() != plan.size()) {
            throw new IllegalArgumentException(real.size() + " real journal addresses for " + plan.size()
                    + " members");
        }
    }

    /** {@code response} with every member's real journal address replaced by its address in the plan. */
    MemberProbe.Response translate(MemberProbe.Response response) {
        Map<String, HostPort> toPlan = new HashMap<>();
        for (int i = 0; i < real.size(); i++) {
            toPlan.put(real.get(i).host().toLowerCase(Locale.ROOT) + ":" + real.get(i).port(), plan.get(i));
        }
        return new MemberProbe.Response(response.status(), translate(response.body(), toPlan));
    }

    /**
     * {@code text} with each {@code host<_ or :>port} whose host is a whole run of host-name characters and whose
     * port is all the digits that follow replaced, when {@code toPlan} has it. Each character is looked at once.
     */
    private static String translate(String text, Map<String, HostPort> toPlan) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        while (at < text.length()) {
            if (!hostCharacter(text.charAt(at))) {
                out.append(text.charAt(at++));
                continue;
            }
            int hostStart = at;
            while (at < text.length() && hostCharacter(text.charAt(at))) {
                at++;
            }
            int portStart = at + 1;
            int portEnd = portStart;
            while (portEnd < text.length() && portEnd - portStart <= MAX_PORT_DIGITS && digit(text.charAt(portEnd))) {
                portEnd++;
            }
            HostPort planned = at < text.length() && (text.charAt(at) == '_' || text.charAt(at) == ':')
                    && portEnd > portStart && portEnd - portStart <= MAX_PORT_DIGITS
                    ? toPlan.get(text.substring(hostStart, at).toLowerCase(Locale.ROOT) + ":"
                            + text.substring(portStart, portEnd))
                    : null;
            if (planned == null) {
                out.append(text, hostStart, at);
            } else {
                out.append(planned.host()).append(text.charAt(at)).append(planned.port());
                at = portEnd;
            }
        }
        return out.toString();
    }

    private static boolean hostCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
