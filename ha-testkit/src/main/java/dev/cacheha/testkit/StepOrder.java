package dev.cacheha.testkit;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The order every list of {@link Step}s keeps, whichever operation planned it (replica change, restore, member
 * rebuild), as the SPI states it: checks come before any step that changes the quorum, so a refusal leaves
 * everything as it was; a journal is wiped only while its member is stopped; and the list leaves no member
 * stopped, since the runner takes a list whose last step is done as the operation ended.
 */
final class StepOrder {

    private StepOrder() {}

    /** What {@code steps} break of the order, in words; empty when they keep it. */
    static List<String> broken(List<Step> steps) {
        List<String> problems = new ArrayList<>();
        Set<String> stopped = new TreeSet<>();
        boolean changedSomething = false;
        for (int index = 0; index < steps.size(); index++) {
            Step step = steps.get(index);
            String where = "step " + (index + 1) + " (" + step.getClass().getSimpleName() + ")";
            if (step instanceof Step.CheckOnMember && changedSomething) {
                problems.add(where + ": a check after a step that changed the quorum");
            } else if (step instanceof Step.StopMembers stop) {
                stop.members().forEach(member -> stopped.add(member.podName()));
            } else if (step instanceof Step.StartMembers start) {
                start.members().forEach(member -> stopped.remove(member.podName()));
            } else if (step instanceof Step.WipeJournal wipe && !stopped.contains(wipe.member().podName())) {
                problems.add(where + ": deletes the journal of " + wipe.member().podName()
                        + ", which may be running");
            }
            changedSomething |= changesTheQuorum(step);
        }
        if (!stopped.isEmpty()) {
            problems.add("the steps end with " + stopped + " stopped");
        }
        return problems;
    }

    /** The members {@code steps} stop, wipe or start. */
    static Set<Member> membersTouched(List<Step> steps) {
        Set<Member> touched = new HashSet<>();
        for (Step step : steps) {
            if (step instanceof Step.StopMembers stop) {
                touched.addAll(stop.members());
            } else if (step instanceof Step.StartMembers start) {
                touched.addAll(start.members());
            } else if (step instanceof Step.WipeJournal wipe) {
                touched.add(wipe.member());
            }
        }
        return touched;
    }

    private static boolean changesTheQuorum(Step step) {
        return !(step instanceof Step.CheckOnMember || step instanceof Step.AwaitQuorum
                || step instanceof Step.AwaitRole);
    }
}
