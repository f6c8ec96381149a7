package dev.cacheha.alluxio;

import com.google.common.net.HostAndPort;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.IntStream;

/**
 * Every name the Alluxio plan gives an object or a host, derived from the spec in one place so that the plan,
 * cleanup and discovery can never disagree.
 */
public final class AlluxioNames {

    /** The engine name of the Alluxio provider. */
    public static final String ENGINE = "alluxio";
    /** The master container's name; commands for the master (leader discovery, backups) run in it. */
    public static final String CONTAINER = "alluxio-master";
    /** The job master container's name. */
    public static final String JOB_CONTAINER = "alluxio-job-master";
    /** The name of the journal volume and of the StatefulSet's claim template. */
    public static final String JOURNAL_VOLUME = "journal";

    private final HaSpec spec;
    // Derived once: a plan asks for them for every object, host and address list.
    private final String statefulSet;
    private final String podDomain;
    private final SortedMap<String, String> labels;

    /** The names of {@code spec}'s objects. */
    public AlluxioNames(HaSpec spec) {
        this.spec = spec;
        this.statefulSet = spec.name() + "-master";
        this.podDomain = statefulSet + "." + spec.namespace() + ".svc." + spec.clusterDomain();
        this.labels = RuntimeLabels.masters(ENGINE, spec.name());
    }

    /** The StatefulSet, and the headless Service that gives its pods DNS names: {@code <name>-master}. */
    public String statefulSet() {
        return statefulSet;
    }

    /** The headless Service; the same name as the StatefulSet. */
    public String service() {
        return statefulSet();
    }

    /** The ConfigMap holding the properties file: {@code <name>-master-ha}. */
    public String configMap() {
        return statefulSet() + "-ha";
    }

    /** The PodDisruptionBudget. */
    public String podDisruptionBudget() {
        return statefulSet();
    }

    /** The NetworkPolicy that guards the journal ports. */
    public String networkPolicy() {
        return statefulSet() + "-journal";
    }

    /** The pod of member {@code ordinal}. */
    public String pod(int ordinal) {
        return statefulSet() + "-" + ordinal;
    }

    /** The stable DNS name of member {@code ordinal}'s pod. */
    public String host(int ordinal) {
        return pod(ordinal) + "." + podDomain();
    }

    /**
     * The DNS domain under which the headless Service publishes each pod by its name:
     * {@code <service>.<namespace>.svc.<clusterDomain>}.
     */
    public String podDomain() {
        return podDomain;
    }

    /** The claim the StatefulSet creates for member {@code ordinal}: {@code journal-<name>-master-<ordinal>}. */
    public String claim(int ordinal) {
        return JOURNAL_VOLUME + "-" + pod(ordinal);
    }

    /** The labels of every master object; an immutable map, so one instance serves every caller. */
    public SortedMap<String, String> labels() {
        return labels;
    }

    // Metadata and selectors are set directly rather than built: a plan takes ten of them, and a builder's own
    // bookkeeping costs more than these small objects (see AlluxioMasterStatefulSet on builders).

    /** Fresh metadata for an object called {@code objectName}: the spec's namespace and the master labels. */
    public ObjectMeta metadata(String objectName) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(objectName);
        metadata.setNamespace(spec.namespace());
        metadata.getLabels().putAll(labels);
        return metadata;
    }

    /** A fresh selector of every master pod, by the master labels. */
    public LabelSelector selector() {
        LabelSelector selector = new LabelSelector();
        selector.getMatchLabels().putAll(labels);
        return selector;
    }

    /** Every master, by ordinal. */
    public List<Member> members() {
        return IntStream.range(0, spec.replicas())
                .mapToObj(i -> new Member(i, spec.namespace(), pod(i), host(i)))
                .toList();
    }

    /** {@code host:port} of every master for {@code port}, by ordinal. */
    public List<HostAndPort> addresses(int port) {
        return IntStream.range(0, spec.replicas()).mapToObj(i -> HostAndPort.fromParts(host(i), port)).toList();
    }
}
