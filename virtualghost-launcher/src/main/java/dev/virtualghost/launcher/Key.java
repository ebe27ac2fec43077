package dev.virtualghost.launcher;

import java.util.Objects;

/**
 * A typed name for a resource in a {@link LaunchContext}, e.g. {@link Keys#CH_PROCESS}. Keys compare by identity,
 * so two keys with the same name are different slots.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the resource's type
 */
public final class Key<T> {
    private final String name;
    private final Class<T> type;

    private Key(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.type = Objects.requireNonNull(type, "type == null");
    }

    /**
     * A new key for resources of {@code type}.
     *
     * @param <T> the resource's type
     * @param name the key's name, shown in errors
     * @param type the resource's class
     * @return a new key, equal only to itself
     */
    public static <T> Key<T> of(String name, Class<T> type) {
        return new Key<>(name, type);
    }

    /**
     * The key's name, shown in errors.
     *
     * @return the name given to {@link #of}
     */
    public String name() {
        return name;
    }

    /**
     * The resource's type.
     *
     * @return the class given to {@link #of}
     */
    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return "Key[" + name + ": " + type.getSimpleName() + "]";
    }
}
