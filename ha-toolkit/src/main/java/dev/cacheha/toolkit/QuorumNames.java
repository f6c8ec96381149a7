package dev.cacheha.toolkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.IntStream;

/**
 * Every name a raft quorum's plan gives an object, a pod, a host or an address, derived from the spec and the
 * engine's {@linkplain EngineRules#objectNameSuffix() object-name suffix} in one place, so that the plan,
 * discovery and cleanup can never disagree. The StatefulSet is {@code <name><suffix>}; the headless Service and
 * the PodDisruptionBudget share its name, the ConfigMap is {@code <statefulset>-ha} and the NetworkPolicy
 * {@code <statefulset>-journal}.
 */
public final class QuorumNames {

    /** The environment variable that holds the pod's own name in every master container. */
    public static final String POD_NAME_VARIABLE = "POD_NAME";

    private final HaSpec spec;
    private final String engine;
    // Derived once: a plan asks for them for every object, host and address list.
    private final String statefulSet;
    private final String podDomain;
    private final SortedMap<String, String> labels;

    /** The names of {@code spec}'s objects for the engine whose rules are {@code rules}. */
    public QuorumNames(HaSpec spec, EngineRules rules) {
        this.spec = requireNonNull(spec, "spec");
        this.engine = rules.engine();
        this.statefulSet = spec.name() + rules.objectNameSuffix();
        this.podDomain = statefulSet + "." + spec.namespace() + ".svc." + spec.clusterDomain();
        this.labels = RuntimeLabels.masters(engine, spec.name());
    }

    /** The spec the names are derived from. */
    public HaSpec spec() {
        return spec;
    }

    /** The engine name, as in the {@link RuntimeLabels#NAME} label. */
    public String engine() {
        return engine;
    }

    /** The StatefulSet: {@code <name><suffix>}. */
    public String statefulSet() {
        return statefulSet;
    }

    /** The headless Service that gives the pods their DNS names; the StatefulSet's name. */
    public String service() {
        return statefulSet;
    }

    /** The ConfigMap that carries the properties file: {@code <statefulset>-ha}. */
    public String configMap() {
        return statefulSet + "-ha";
    }

    /** The PodDisruptionBudget; the StatefulSet's name. */
    public String podDisruptionBudget() {
        return statefulSet;
    }

    /** The NetworkPolicy that guards the journal ports: {@code <statefulset>-journal}. */
    public String networkPolicy() {
        return statefulSet + "-journal";
    }

    /** The pod of member {@code ordinal}. */
    public String pod(int ordinal) {
        return statefulSet + "-" + ordinal;
    }

    /** The stable DNS name of member {@code ordinal}'s pod. */
    public String host(int ordinal) {
        return pod(ordinal) + "." + podDomain;
    }

    /** {@code <service>.<namespace>.svc.<clusterDomain>}: the domain under which each pod has its name. */
    public String podDomain() {
        return podDomain;
    }

    /** The claim the StatefulSet makes for member {@code ordinal} from template {@code volume}. */
    public String claim(String volume, int ordinal) {
        return claimPrefix(volume) + ordinal;
    }

    /**
     * What every claim from template {@code volume} starts with, before the ordinal:
     * {@code <volume>-<statefulset>-}.
     */
    public String claimPrefix(String volume) {
        return volume + "-" + statefulSet + "-";
    }

    /** The labels of every master object; immutable, so one instance serves every caller. */
    public SortedMap<String, String> labels() {
        return labels;
    }

    /** Fresh metadata for an object called {@code objectName}: the spec's namespace and the master labels. */
    public ObjectMeta metadata(String objectName) {
        // Set directly rather than built: a plan takes ten of these, and a builder's bookkeeping costs more.
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
    public List<HostPort> addresses(int port) {
        return IntStream.range(0, spec.replicas()).mapToObj(i -> new HostPort(host(i), port)).toList();
    }

    /** {@link #POD_NAME_VARIABLE} set from the pod's own name, for containers that must announce themselves. */
    public EnvVar podNameVariable() {
        ObjectFieldSelector podName = new ObjectFieldSelector();
        podName.setFieldPath("metadata.name");
        EnvVarSource source = new EnvVarSource();
        source.setFieldRef(podName);
        EnvVar variable = new EnvVar();
        variable.setName(POD_NAME_VARIABLE);
        variable.setValueFrom(source);
        return variable;
    }

    /**
     * The pod's own DNS name as a container sees it, {@code $(POD_NAME).<podDomain>}: Kubernetes expands the
     * reference in a variable declared after {@link #podNameVariable()}.
     */
    public String ownHost() {
        return "$(" + POD_NAME_VARIABLE + ")." + podDomain;
    }
}
