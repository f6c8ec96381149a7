package dev.cacheha.spi;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Optional;

/** Kubernetes quantities as numbers, for the rules that compare them. */
final class Quantities {

    private Quantities() {}

    /** The amount of {@code value} (bytes for memory, cores for cpu), or empty if it is not a quantity. */
    static Optional<BigDecimal> amount(String value) {
        try {
            return Optional.of(Quantity.getAmountInBytes(new Quantity(value)));
        } catch (RuntimeException notAQuantity) {
            return Optional.empty();
        }
    }

    /** Compares two quantities; one that is not a quantity counts as equal, since it is reported on its own. */
    static int compare(String left, String right) {
        Optional<BigDecimal> a = amount(left);
        Optional<BigDecimal> b = amount(right);
        return a.isPresent() && b.isPresent() ? a.get().compareTo(b.get()) : 0;
    }
}
