package dev.cacheha.examples.controller.ownership;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link PodExec} that runs a command only in a pod the runtime provably owns, whoever asks: the controller's
 * own commands and a provider's discovery alike. A pod outside the owner chain fails the call as a pod that
 * cannot be reached would, with the reason, and nothing is sent to it.
 */
public final class OwnedPodExec implements PodExec {

    private final PodExec delegate;
    private final Function<Member, Optional<String>> refusal;

    /**
     * @param delegate where an allowed command runs
     * @param refusal why a member's pod is not the runtime's (see {@link Ownership#podRefusal}), empty if it is
     */
    public OwnedPodExec(PodExec delegate, Function<Member, Optional<String>> refusal) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.refusal = requireNonNull(refusal, "refusal");
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        Optional<String> refused = refusal.apply(member);
        if (refused.isPresent()) {
            return CompletableFuture.failedFuture(new IOException("nothing is run in " + member.podName() + ": "
                    + refused.get()));
        }
        return delegate.exec(member, container, argv, deadline);
    }
}
