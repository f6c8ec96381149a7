package dev.cacheha.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown instead of a plan when an operation on a running quorum (a backup, a restore, a member rebuild) would
 * be unsafe or wrong in the state it was asked for. It carries every reason at once, each naming the input it
 * concerns, and it is thrown before any step exists: nothing was run, changed or deleted.
 */
public final class OperationRefusedException extends IllegalStateException {

    private final String operation;
    private final List<Violation> reasons;

    /**
     * @param operation what was refused, for example {@code backup}
     * @param reasons at least one reason; the list is copied
     */
    public OperationRefusedException(String operation, List<Violation> reasons) {
        super(describe(operation, reasons));
        this.operation = operation;
        this.reasons = List.copyOf(reasons);
    }

    /** Throws if {@code reasons} is not empty; does nothing otherwise. */
    public static void throwIfAny(String operation, List<Violation> reasons) {
        if (!reasons.isEmpty()) {
            throw new OperationRefusedException(operation, reasons);
        }
    }

    /** What was refused, for example {@code backup}. */
    public String operation() {
        return operation;
    }

    /** Why, in the order found; never empty. */
    public List<Violation> reasons() {
        return reasons;
    }

    private static String describe(String operation, List<Violation> reasons) {
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("an OperationRefusedException needs at least one reason");
        }
        return reasons.stream().map(reason -> "  - " + reason).collect(Collectors.joining("\n",
                operation + " refused (" + reasons.size() + " reason" + (reasons.size() == 1 ? "" : "s") + "):\n",
                ""));
    }
}
