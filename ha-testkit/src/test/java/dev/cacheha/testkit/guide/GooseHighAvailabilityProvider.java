package dev.cacheha.testkit.guide;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.toolkit.JournalClaimSelection;
import dev.cacheha.toolkit.MasterContainer;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.QuorumObjects;
import dev.cacheha.toolkit.change.ReplicaChange;
import dev.cacheha.toolkit.discovery.HttpRoleDiscovery;
import dev.cacheha.toolkit.discovery.MemberFanOut;
import dev.cacheha.toolkit.pod.ContainerProbes;
import dev.cacheha.toolkit.pod.ContainerResources;
import dev.cacheha.toolkit.pod.MemoryJournalBudget;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import dev.cacheha.toolkit.recovery.BackupCommand;
import dev.cacheha.toolkit.recovery.QuorumRecovery;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The complete example of docs/provider-guide.md: Goose, an imaginary engine shaped like Alluxio (a raft quorum
 * of masters, a journal, a properties file, a role endpoint, a backup command and a start-from-backup property),
 * with every capability, on the toolkit. The guide shows its regions; {@code ProviderGuideTest} keeps them equal.
 */
// tag::facts[]
public final class GooseHighAvailabilityProvider implements HighAvailabilityProvider {

    static final String ENGINE = "goose", CONTAINER = "goose-master", JOURNAL = "journal";
    static final String RPC = "rpc", RAFT = "raft", WEB = "web";
    static final String PEERS = "goose.raft.peers", JOURNAL_DIR = "goose.journal.dir";
    static final String PROPERTIES_FILE = "/etc/goose/goose.properties";
    static final String START_FROM_BACKUP = "goose.journal.init.from.backup";
    static final String ROLE_PATH = "/api/role";

    // Facts the SPI checks every spec against in the same pass as its own rules: the StatefulSet suffix, every
    // port with its default (no override may take another port's default), the properties the plan owns and the
    // processes whose resources a spec may set.
    static final ContainerResources RESOURCES = new ContainerResources(ENGINE, new TreeMap<>(Map.of("master",
            ProcessResources.of(Map.of("cpu", "1", "memory", "2Gi"), Map.of("memory", "2Gi")))),
            new MemoryJournalBudget("master", 768L << 20, 1L << 30));
    static final EngineRules RULES = new EngineRules(ENGINE, "-goose-master", ports(), new TreeMap<>(Map.of(
            PEERS, "it is derived from the replicas and ports.raft",
            JOURNAL_DIR, "it follows from the journal storage",
            START_FROM_BACKUP, "a restore sets it")), RESOURCES.processes());

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public EngineRules rules() {
        return RULES;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    // A memory journal must fit the master's memory limit: a rule across fields, which needs a whole spec.
    @Override
    public void validate(HaSpec spec) {
        RESOURCES.validate(spec, RULES, SiteFileAssembly.undelivered(spec, ENGINE));
    }
    // end::facts[]

    // tag::plan[]
    @Override
    public HaPlan plan(HaSpec spec) {
        QuorumNames names = new QuorumNames(spec, RULES);   // every name, host, address and label
        List<HostPort> raft = names.addresses(RULES.port(spec, RAFT));
        Map<String, String> properties = new LinkedHashMap<>(spec.properties());
        properties.put(PEERS, raft.stream().map(HostPort::toString).collect(Collectors.joining(",")));
        properties.put(JOURNAL_DIR, "/var/lib/goose/journal");
        return new HaPlan(ENGINE, properties, names.members(), raft, QuorumObjects.builder(names, RULES.ports(spec))
                .defaultImage("vendor/goose:1.0")
                .propertiesFile("goose.properties", "/etc/goose", properties)    // where Goose reads it
                .journal(JOURNAL, "/var/lib/goose")
                .journalPorts(RAFT)
                .restrictedSecurity(new RestrictedPodSecurity(1000, 1000, false))  // the image's uid and gid
                .container(MasterContainer.named(CONTAINER).args("master").ports(RPC, RAFT, WEB)
                        .probes(ContainerProbes.httpGet(WEB, ROLE_PATH))
                        .resources(RESOURCES.requirements(spec, "master"))
                        .build())
                .build());
    }
    // end::plan[]

    // tag::discovery[]
    /** Each master answers {@code LEADER} or {@code FOLLOWER <pod it follows>} at {@value #ROLE_PATH}. */
    static final HttpRoleDiscovery DISCOVERY = new HttpRoleDiscovery(ROLE_PATH, (asked, body, members) -> {
        String answer = body.strip();
        if (answer.equals("LEADER")) {
            return MemberFanOut.Reading.of(Role.LEADER, "");
        }
        if (!answer.startsWith("FOLLOWER")) {
            return MemberFanOut.Reading.of(Role.UNKNOWN, "neither LEADER nor FOLLOWER");
        }
        String leader = answer.substring("FOLLOWER".length()).strip();
        return members.stream().filter(member -> member.podName().equals(leader)).findFirst()
                .map(member -> MemberFanOut.Reading.followerOf(member, ""))
                .orElseGet(() -> MemberFanOut.Reading.of(Role.FOLLOWER, "follows no member of this quorum"));
    });

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        return DISCOVERY.of(new QuorumNames(spec, RULES).members(), RULES.port(spec, WEB), access);
    }
    // end::discovery[]

    // tag::cleanup[]
    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        return JournalClaimSelection.select(new QuorumNames(spec, RULES), JOURNAL, existingClaims);
    }
    // end::cleanup[]

    // tag::replica-change[]
    @Override
    public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        int raft = RULES.port(spec, RAFT);
        return ReplicaChange.removing(RULES, CONTAINER, JOURNAL, member -> List.of(List.of("goose", "admin",
                "remove-peer", new HostPort(member.host(), raft).toString())))
                .plan(spec, newReplicas, this::plan);
    }
    // end::replica-change[]

    // tag::recovery[]
    static final QuorumRecovery RECOVERY = new QuorumRecovery(RULES, CONTAINER, JOURNAL);
    /** {@code goose admin backup <directory>} writes on the member it runs on and prints the file it wrote. */
    static final BackupCommand BACKUP = new BackupCommand((directory, target) -> List.of("goose", "admin",
            "backup", directory), Duration.ofMinutes(10), "(?m)^backup written to (?<location>\\S+)$");

    @Override
    public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
        return RECOVERY.backup(spec, status, target, BACKUP);
    }

    @Override
    public RestorePlan planRestore(HaSpec spec, Backup backup) {
        return RECOVERY.restore(spec, backup, START_FROM_BACKUP, this::plan);
    }

    @Override
    public MemberRebuildPlan planMemberRebuild(HaSpec spec, LeaderStatus status, int ordinal) {
        return RECOVERY.rebuild(spec, status, ordinal);
    }
    // end::recovery[]

    private static Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(RPC, 7000);
        ports.put(RAFT, 7001);
        ports.put(WEB, 7002);
        return ports;
    }
}
