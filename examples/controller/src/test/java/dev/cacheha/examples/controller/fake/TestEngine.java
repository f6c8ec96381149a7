package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.controller.backup.BackupCommand;
import dev.cacheha.spi.LeaderStatus.Role;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The engines the controller's tests run against, each with how its masters state their role over HTTP,
 * so one {@link FakeQuorum} can face the engine's own leader discovery.
 */
public enum TestEngine {

    /** The test-scope {@link ExampleRaftProvider}. */
    EXAMPLE_RAFT(ExampleRaftProvider.ENGINE, (role, path) -> role.name(),
            new BackupCommand(ExampleRaftProvider.CONTAINER, List.of("raftctl", "backup", "--to", "/backups"),
                    BackupCommand.DEFAULT_TIMEOUT)),

    /**
     * The Alluxio provider from ha-alluxio. Masters answer {@value #ALLUXIO_WEB_OVERVIEW} as Alluxio 2.9 does,
     * with a {@code leaderId} that names nobody, since a follower's idea of the leader may be stale.
     */
    ALLUXIO("alluxio", (role, path) -> path.equals(TestEngine.ALLUXIO_WEB_OVERVIEW)
            ? "{\"debug\":false,\"version\":\"2.9.6\",\"leaderId\":\"stale_19200\",\"masterRole\":\"" + role
                    + "\",\"systemStatus\":\"IDLE\"}"
            : "", BackupCommand.ALLUXIO);

    /** Where an Alluxio master states its own role, with the standby web server on. */
    private static final String ALLUXIO_WEB_OVERVIEW = "/api/v1/master/webui_overview";

    private final String engine;
    private final BiFunction<Role, String, String> roleAnswer;
    private final BackupCommand backup;

    TestEngine(String engine, BiFunction<Role, String, String> roleAnswer, BackupCommand backup) {
        this.engine = engine;
        this.roleAnswer = roleAnswer;
        this.backup = backup;
    }

    /** The engine name a runtime's spec uses. */
    public String engine() {
        return engine;
    }

    /** A quorum answering this engine's role requests, with no member up yet. */
    public FakeQuorum quorum() {
        return new FakeQuorum(roleAnswer);
    }

    /** The engine's backup command. */
    public BackupCommand backup() {
        return backup;
    }
}
