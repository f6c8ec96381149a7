package dev.cacheha.examples.controller.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a live object already is what the controller would apply. The API server adds fields of its own
 * (uid, resourceVersion, defaults such as a StatefulSet's {@code podManagementPolicy}, status), and other managers
 * may add theirs, so "equal" would never hold; an apply changes nothing exactly when every field we set has our
 * value and no field we applied before has left the plan (an apply removes such a field, an annotation or a
 * ConfigMap key, say, when no other manager owns it).
 */
final class OwnedFields {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /**
     * The types of a model class's JSON properties by JSON name, its own fields before its superclasses'. Read
     * once per class: reflecting on every comparison (a copy of the fields and a parse of their generic
     * signatures each time) was about a sixth of the reconcile threads' samples with 1,000 runtimes starting.
     */
    private static final ClassValue<Map<String, Type>> PROPERTY_TYPES = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> kind) {
            Map<String, Type> types = new HashMap<>();
            for (Class<?> owner = kind; owner != null && owner != Object.class; owner = owner.getSuperclass()) {
                for (Field field : owner.getDeclaredFields()) {
                    JsonProperty json = field.getAnnotation(JsonProperty.class);
                    types.putIfAbsent(json != null && !json.value().isEmpty() ? json.value() : field.getName(),
                            field.getGenericType());
                }
            }
            return Map.copyOf(types);
        }
    };

    private OwnedFields() {}

    /**
     * Whether {@code live} holds everything in {@code desired} but its status, both as the JSON trees of the
     * objects, and nothing the controller set that {@code desired} no longer has. Maps must hold every key of the
     * desired map with a matching value; lists must have the same length and matching elements in order; scalars
     * must be equal (numbers by value). An empty desired map or list matches a missing one, since the server drops
     * empty collections; so does a zero, false or empty scalar, since the server omits a field at its zero value (a
     * probe's {@code initialDelaySeconds: 0} comes back absent: read as a difference, it made every reconcile apply
     * the StatefulSet again, on a real API server).
     *
     * @param kind the class of the object, whose fields tell which JSON objects are maps (labels, annotations, a
     *     ConfigMap's data, resource limits) rather than structures
     * @param set what the controller set, as the server records it in {@code managedFields} (trees of
     *     {@code f:<name>} and {@code k:<list item key>} keys)
     */
    static boolean match(Map<?, ?> desired, Map<?, ?> live, Class<?> kind, SetFields set) {
        return desired.entrySet().stream()
                .filter(entry -> !"status".equals(entry.getKey()))
                .allMatch(entry -> contains(entry.getValue(), live.get(entry.getKey())))
                && !leftThePlan(set.applied(), desired, live, kind, true)
                && !leftThePlan(set.created(), desired, live, kind, false);
    }

    /**
     * The fields the controller set in an object, from its {@code managedFields}.
     *
     * @param applied the fields of the controller's last server-side apply: exactly what it sent
     * @param created the fields of the controller's create (and other writes by {@code Update}): what it sent, but
     *     also every default the server filled in then, which no plan names; only the keys of maps among them
     *     tell what left the plan, since the server defaults fields of structures, never keys of a map (a plain
     *     field that left the plan of an object never applied is told by its {@link PlanDigest} instead, whose
     *     annotation is a field the controller sets)
     */
    record SetFields(Map<?, ?> applied, Map<?, ?> created) {}

    /**
     * Whether a field of {@code set} is in {@code live} but not in {@code desired}: any field when
     * {@code everyField}, else only a key of a map. A field owned whole (an atomic list such as a NetworkPolicy's
     * rules: the server records no fields below it) is looked into for keys of maps that left the plan. Called
     * once they matched, so their lists have the same length and the items of one index correspond. Items of lists
     * keyed by value ({@code v:}) or index ({@code i:}) are left to that comparison, which tells a list of another
     * length.
     *
     * @param type the Java type of the values at this level, or null when unknown
     */
    private static boolean leftThePlan(Map<?, ?> set, Object desired, Object live, Type type, boolean everyField) {
        for (Map.Entry<?, ?> field : set.entrySet()) {
            String key = String.valueOf(field.getKey());
            Map<?, ?> below = field.getValue() instanceof Map<?, ?> fields ? fields : Map.of();
            if (key.startsWith("f:") && live instanceof Map<?, ?> liveMap && liveMap.get(key.substring(2)) != null) {
                String name = key.substring(2);
                Object wanted = desired instanceof Map<?, ?> desiredMap ? desiredMap.get(name) : null;
                Type fieldType = propertyType(type, name);
                if (wanted == null ? everyField || isMap(type)
                        : below.isEmpty() ? extraMapKey(wanted, liveMap.get(name), fieldType)
                        : leftThePlan(below, wanted, liveMap.get(name), fieldType, everyField)) {
                    return true;
                }
            } else if (key.startsWith("k:") && live instanceof List<?> liveList
                    && desired instanceof List<?> desiredList) {
                Map<?, ?> itemKey = JSON.unmarshal(key.substring(2), Map.class);
                for (int i = 0; i < liveList.size() && i < desiredList.size(); i++) {
                    if (isItem(itemKey, liveList.get(i)) && leftThePlan(below, desiredList.get(i), liveList.get(i),
                            typeArgument(type, 0), everyField)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code live}, a value owned whole, has a key of a map that {@code desired} does not: the server fills
     * in defaults of structures there too, but never a key of a map.
     */
    private static boolean extraMapKey(Object desired, Object live, Type type) {
        if (desired instanceof Map<?, ?> desiredMap && live instanceof Map<?, ?> liveMap) {
            return liveMap.keySet().stream().anyMatch(key -> desiredMap.get(key) == null
                    ? isMap(type) && liveMap.get(key) != null
                    : extraMapKey(desiredMap.get(key), liveMap.get(key), propertyType(type, String.valueOf(key))));
        }
        if (desired instanceof List<?> desiredList && live instanceof List<?> liveList) {
            for (int i = 0; i < desiredList.size() && i < liveList.size(); i++) {
                if (extraMapKey(desiredList.get(i), liveList.get(i), typeArgument(type, 0))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code item} of a list has every field of {@code itemKey} (a {@code k:} key) at its value. */
    private static boolean isItem(Map<?, ?> itemKey, Object item) {
        return item instanceof Map<?, ?> fields && itemKey.entrySet().stream()
                .allMatch(field -> sameScalar(field.getValue(), fields.get(field.getKey())));
    }

    private static boolean isMap(Type type) {
        return type != null && Map.class.isAssignableFrom(raw(type));
    }

    /**
     * The type of the JSON field {@code name} of values of {@code type}: a map's value type, or the type of the
     * model class's field of that JSON name; null when unknown.
     */
    private static Type propertyType(Type type, String name) {
        if (type == null) {
            return null;
        }
        if (isMap(type)) {
            return typeArgument(type, 1);
        }
        return PROPERTY_TYPES.get(raw(type)).get(name);
    }

    /** Type argument {@code index} of a parameterized {@code type} (a list's items, a map's values), or null. */
    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments().length > index
                ? parameterized.getActualTypeArguments()[index] : null;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return raw(parameterized.getRawType());
        }
        return type instanceof Class<?> rawClass ? rawClass : Object.class;
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
        return desired == null || sameScalar(desired, live);
    }

    /** Whether two scalars of JSON trees are equal, numbers by value. */
    private static boolean sameScalar(Object one, Object other) {
        if (one instanceof Number oneNumber && other instanceof Number otherNumber) {
            return new BigDecimal(oneNumber.toString()).compareTo(new BigDecimal(otherNumber.toString())) == 0;
        }
        return Objects.equals(one, other);
    }

    /** Whether {@code value} is a scalar at its zero value, which the API server leaves out of what it returns. */
    private static boolean isZero(Object value) {
        return value instanceof Number number && new BigDecimal(number.toString()).signum() == 0
                || Boolean.FALSE.equals(value) || "".equals(value);
    }
}
