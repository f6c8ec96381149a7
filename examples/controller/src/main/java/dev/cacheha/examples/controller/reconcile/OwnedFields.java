package dev.cacheha.examples.controller.reconcile;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Whether a live object already has every field the controller sets. The API server adds fields of its own
 * (uid, resourceVersion, defaults such as a StatefulSet's {@code podManagementPolicy}, status), so "equal"
 * would never hold; "every field we set has our value" holds exactly when an update would change nothing.
 */
final class OwnedFields {

    private OwnedFields() {}

    /**
     * Whether {@code live} holds everything in {@code desired} but its status, both as the JSON trees of the
     * objects. Maps must hold every key of the desired map with a matching value; lists must have the same
     * length and matching elements in order; scalars must be equal (numbers by value). An empty desired map
     * or list matches a missing one, since the server drops empty collections; so does a zero, false or empty
     * scalar, since the server omits a field at its zero value (a probe's {@code initialDelaySeconds: 0} comes back
     * absent: read as a difference, it made every reconcile apply the StatefulSet again, on a real API server).
     */
    static boolean match(Map<?, ?> desired, Map<?, ?> live) {
        return desired.entrySet().stream()
                .filter(entry -> !"status".equals(entry.getKey()))
                .allMatch(entry -> contains(entry.getValue(), live.get(entry.getKey())));
    }

    private static boolean contains(Object desired, Object live) {
        if (desired instanceof Map<?, ?> desiredMap) {
            if (live == null) {
                return desiredMap.isEmpty();
            }
            return live instanceof Map<?, ?> liveMap
                    && desiredMap.entrySet().stream()
                            .allMatch(entry -> contains(entry.getValue(), liveMap.get(entry.getKey())));
        }
        if (desired instanceof List<?> desiredList) {
            if (live == null) {
                return desiredList.isEmpty();
            }
            if (!(live instanceof List<?> liveList) || liveList.size() != desiredList.size()) {
                return false;
            }
            for (int i = 0; i < desiredList.size(); i++) {
                if (!contains(desiredList.get(i), liveList.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (live == null && isZero(desired)) {
            return true;
        }
        if (desired instanceof Number desiredNumber && live instanceof Number liveNumber) {
            return new BigDecimal(desiredNumber.toString()).compareTo(new BigDecimal(liveNumber.toString())) == 0;
        }
        return desired == null || desired.equals(live);
    }

    /** Whether {@code value} is a scalar at its zero value, which the API server leaves out of what it returns. */
    private static boolean isZero(Object value) {
        return value instanceof Number number && new BigDecimal(number.toString()).signum() == 0
                || Boolean.FALSE.equals(value) || "".equals(value);
    }
}
