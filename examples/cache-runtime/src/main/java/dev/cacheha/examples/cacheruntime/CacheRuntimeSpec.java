package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * What a user writes under {@code spec:} of a CacheRuntime ({@value #API_VERSION}, kind {@value #KIND}): the one
 * document of a runtime, which the controller reconciles and {@code cache-ha render -f} renders. The CRD's schema
 * and CEL rules are generated from these types; the rules that need the engine are the
 * {@link CacheRuntimeTranslator}'s, which fills in defaults and reports every missing or wrong field at once.
 */
@ValidationRule(value = "has(self.ports) == has(oldSelf.ports) && (!has(self.ports) || self.ports == oldSelf.ports)",
        message = "ports cannot change: every member's raft address names them; create another runtime",
        fieldPath = ".ports", reason = "FieldValueForbidden")
@ValidationRule(value = "has(self.clusterDomain) == has(oldSelf.clusterDomain)"
        + " && (!has(self.clusterDomain) || self.clusterDomain == oldSelf.clusterDomain)",
        message = "clusterDomain cannot change: every member's address is in it; create another runtime",
        fieldPath = ".clusterDomain", reason = "FieldValueForbidden")
public class CacheRuntimeSpec {

    /** The API group of a CacheRuntime. */
    public static final String GROUP = "data.cacheha.dev";
    /** The API version of a CacheRuntime within {@link #GROUP}. */
    public static final String VERSION = "v1alpha1";
    /** The {@code apiVersion} of a CacheRuntime document. */
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** The {@code kind} of a CacheRuntime document. */
    public static final String KIND = "CacheRuntime";

    @Required
    @Size(min = 1, max = 63)
    private String engine;
    @Min(1)
    @Max(7)
    @ValidationRule(value = "self % 2 == 1", message = "must be odd: 1, 3, 5 or 7 masters")
    private Integer replicas;
    private JournalSpec journal;
    @Size(max = 253)
    private String clusterDomain;
    @Size(max = 32)
    @ValidationRule(value = "self.all(name, self[name] >= 1 && self[name] <= 65535)",
            message = "every port must be between 1 and 65535")
    private Map<String, Integer> ports;
    private Map<String, String> properties;
    @Size(max = 1024)
    private String image;
    private Boolean restrictJournalTraffic;
    private RestoreRequest restore;
    private BackupVolumeSpec backupVolume;
    private MemberRebuildRequest memberRebuild;
    private Map<String, ResourcesSpec> resources;
    private Map<String, SecretKeySpec> secretProperties;
    private List<ClientSpec> clients;

    /** The engine whose provider runs the masters, such as {@code alluxio}. */
    public String getEngine() {
        return engine;
    }

    /** Sets {@link #getEngine()}. */
    public void setEngine(String engine) {
        this.engine = engine;
    }

    /** How many masters form the quorum: 1, 3, 5 or 7; three when missing. */
    public Integer getReplicas() {
        return replicas;
    }

    /** Sets {@link #getReplicas()}. */
    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    /** Where each master keeps its journal; a 10Gi claim in storage class {@code standard} when missing. */
    public JournalSpec getJournal() {
        return journal;
    }

    /** Sets {@link #getJournal()}. */
    public void setJournal(JournalSpec journal) {
        this.journal = journal;
    }

    /** The cluster's DNS domain; {@code cluster.local} when missing. */
    public String getClusterDomain() {
        return clusterDomain;
    }

    /** Sets {@link #getClusterDomain()}. */
    public void setClusterDomain(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    /** Port overrides by the engine's port name. */
    public Map<String, Integer> getPorts() {
        return ports;
    }

    /** Sets {@link #getPorts()}. */
    public void setPorts(Map<String, Integer> ports) {
        this.ports = ports;
    }

    /** Extra engine properties; a key that names a credential belongs in {@link #getSecretProperties()}. */
    public Map<String, String> getProperties() {
        return properties;
    }

    /** Sets {@link #getProperties()}. */
    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    /** The masters' container image, when the user picks one. */
    public String getImage() {
        return image;
    }

    /** Sets {@link #getImage()}. */
    public void setImage(String image) {
        this.image = image;
    }

    /** Whether the journal ports are open to this runtime's masters only; true when missing. */
    public Boolean getRestrictJournalTraffic() {
        return restrictJournalTraffic;
    }

    /** Sets {@link #getRestrictJournalTraffic()}. */
    public void setRestrictJournalTraffic(Boolean restrictJournalTraffic) {
        this.restrictJournalTraffic = restrictJournalTraffic;
    }

    /** A restore from a backup, when the user asks for one; see {@link RestoreRequest}. */
    public RestoreRequest getRestore() {
        return restore;
    }

    /** Sets {@link #getRestore()}. */
    public void setRestore(RestoreRequest restore) {
        this.restore = restore;
    }

    /** A shared volume for backups, mounted in every master container; see {@link BackupVolume}. */
    public BackupVolumeSpec getBackupVolume() {
        return backupVolume;
    }

    /** Sets {@link #getBackupVolume()}. */
    public void setBackupVolume(BackupVolumeSpec backupVolume) {
        this.backupVolume = backupVolume;
    }

    /** A rebuild of one member from an empty journal, when asked for; see {@link MemberRebuildRequest}. */
    public MemberRebuildRequest getMemberRebuild() {
        return memberRebuild;
    }

    /** Sets {@link #getMemberRebuild()}. */
    public void setMemberRebuild(MemberRebuildRequest memberRebuild) {
        this.memberRebuild = memberRebuild;
    }

    /** Requests and limits by the engine's process name; what a process does not name keeps the engine's. */
    public Map<String, ResourcesSpec> getResources() {
        return resources;
    }

    /** Sets {@link #getResources()}. */
    public void setResources(Map<String, ResourcesSpec> resources) {
        this.resources = resources;
    }

    /** Engine properties whose values the masters read from a Secret of the runtime's namespace. */
    public Map<String, SecretKeySpec> getSecretProperties() {
        return secretProperties;
    }

    /** Sets {@link #getSecretProperties()}. */
    public void setSecretProperties(Map<String, SecretKeySpec> secretProperties) {
        this.secretProperties = secretProperties;
    }

    /** Pods of other namespaces that may reach the masters' client ports; see {@link ClientSpec}. */
    public List<ClientSpec> getClients() {
        return clients;
    }

    /** Sets {@link #getClients()}. */
    public void setClients(List<ClientSpec> clients) {
        this.clients = clients;
    }
}
