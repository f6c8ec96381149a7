package dev.cacheha.realcluster;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * An informer's events as two actions, one for an object added or changed (its latest state) and one for an
 * object deleted: what the stand-ins of the real cluster (volumes, a node) react to, without fabric8's three
 * callbacks each time.
 *
 * @param <T> the kind of object informed about
 */
public final class ObjectEvents<T> implements ResourceEventHandler<T> {

    private final Consumer<T> addOrUpdate;
    private final Consumer<T> delete;

    private ObjectEvents(Consumer<T> addOrUpdate, Consumer<T> delete) {
        this.addOrUpdate = addOrUpdate;
        this.delete = delete;
    }

    /** {@code addOrUpdate} for each object added or changed, {@code delete} for each object deleted. */
    public static <T> ObjectEvents<T> of(Consumer<T> addOrUpdate, Consumer<T> delete) {
        return new ObjectEvents<>(addOrUpdate, delete);
    }

    /** {@code addOrUpdate} for each object added or changed; a deleted object leaves nothing to do. */
    public static <T> ObjectEvents<T> onAddOrUpdate(Consumer<T> addOrUpdate) {
        return new ObjectEvents<>(addOrUpdate, object -> { });
    }

    @Override
    public void onAdd(T object) {
        addOrUpdate.accept(object);
    }

    @Override
    public void onUpdate(T before, T object) {
        addOrUpdate.accept(object);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        delete.accept(object);
    }
}
