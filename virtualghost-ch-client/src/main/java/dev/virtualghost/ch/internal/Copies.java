package dev.virtualghost.ch.internal;

import java.util.List;
import java.util.Map;

/**
 * Defensive copies for the model records' collection components: an absent value (null) stays absent, because
 * Moshi omits null components and CH then applies its own default, while a given one becomes an unmodifiable
 * copy so a record cannot change after it was built or parsed. Stateless.
 */
public final class Copies {

    private Copies() {}

    /**
     * An unmodifiable copy of {@code list}, or null when it is null.
     *
     * @throws NullPointerException if the list holds a null element (CH's arrays never do)
     */
    public static <T> List<T> list(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    /**
     * An unmodifiable copy of {@code map}, or null when it is null.
     *
     * @throws NullPointerException if the map holds a null key or value
     */
    public static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null ? null : Map.copyOf(map);
    }
}
