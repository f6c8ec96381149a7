package dev.cacheha.examples.controller.runtime;

import java.util.Map;

/**
 * What a user writes under {@code spec:} of a {@link CacheRuntime}. Every field may be missing: the
 * {@link CacheRuntimeTranslator} fills in defaults and reports every missing or wrong field at once.
 */
public class CacheRuntimeSpec {

    private String engine;
    private Integer replicas;
    private JournalSpec journal;
    private String clusterDomain;
    private Map<String, Integer> ports;
    private Map<String, String> properties;
    private String image;
    private Boolean restrictJournalTraffic;
    private RestoreRequest restore;
    private BackupVolumeSpec backupVolume;
    private MemberRebuildRequest memberRebuild;

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

    /** Extra engine properties. */
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

    /** Whether the journal ports are open to this runtime's masters only; false when missing. */
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
}
