package dev.cacheha.examples.controller.fake;

import dev.cacheha.spi.LeaderStatus.Role;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The engines the controller's tests run against, each with how its masters state their role over HTTP,
 * so one {@link FakeQuorum} can face the engine's own leader discovery, and how its backup command reports the
 * file it wrote.
 */
public enum TestEngine {

    /** The test-scope {@link ExampleRaftProvider}. */
    EXAMPLE_RAFT(ExampleRaftProvider.ENGINE, (role, path) -> role.name(), file -> "wrote " + file + "\n"),

    /**
     * The Alluxio provider from ha-alluxio. Masters answer {@value #ALLUXIO_WEB_OVERVIEW} as Alluxio 2.9 does,
     * with an empty {@code leaderId} (no leader named, as 2.9.6 answers while it elects; a follower naming a
     * leader that is no member would dissent); a backup prints its file as {@code fsadmin backup} does.
     */
    ALLUXIO("alluxio", (role, path) -> path.equals(TestEngine.ALLUXIO_WEB_OVERVIEW)
            ? "{\"debug\":false,\"version\":\"2.9.6\",\"leaderId\":\"\",\"masterRole\":\"" + role
                    + "\",\"systemStatus\":\"IDLE\"}"
            : "", file -> "Backup Host        : demo-master-1\nBackup URI         : " + file
                    + "\nBackup Entry Count : 1204\n");

    /** Where an Alluxio master states its own role, with the standby web server on. */
    private static final String ALLUXIO_WEB_OVERVIEW = "/api/v1/master/webui_overview";

    private final String engine;
    private final BiFunction<Role, String, String> roleAnswer;
    private final UnaryOperator<String> backupOutput;

    TestEngine(String engine, BiFunction<Role, String, String> roleAnswer, UnaryOperator<String> backupOutput) {
        this.engine = engine;
        this.roleAnswer = roleAnswer;
        this.backupOutput = backupOutput;
    }

    /** The engine name a runtime's spec uses. */
    public String engine() {
        return engine;
    }

    /** A quorum answering this engine's role requests, with no member up yet. */
    public FakeQuorum quorum() {
        return new FakeQuorum(roleAnswer);
    }

    /** What the engine's backup command prints when it wrote {@code file}. */
    public String backupOutput(String file) {
        return backupOutput.apply(file);
    }
}
