package dev.cacheha.alluxio.local;

import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A {@link PodExec} for a {@link LocalAlluxioQuorum}: {@code alluxio fs ...} and {@code alluxio fsadmin ...} in
 * the {@value AlluxioNames#CONTAINER} container of a member run as a JVM with that member's configuration, the
 * way the {@code alluxio} script runs them in a pod. Local addresses in the output are written back as the
 * plan's, so callers parse what they would in the cluster. {@code timeout -s KILL <seconds> alluxio ...} runs
 * the command as coreutils' {@code timeout} would in the pod: killed after that many seconds, exit code 137.
 * {@code test -s <path>} runs too, as a restore's check for its backup would in the container. Other programs
 * fail, as they would in a pod without them.
 *
 * <p>Arguments that name a member's plan address ({@code -address <member host>:<port>}) reach the command as its
 * local address, as cluster DNS resolves them in a pod. The harness runs no job master, so there is no job
 * master journal quorum: {@code alluxio fsadmin journal quorum remove -domain JOB_MASTER ...} has no member to
 * remove, runs no JVM and exits 0, saying so on stderr (a replica change's plan removes a stopped member from both
 * quorums; only the master's is real here).
 */
final class LocalCli implements PodExec {

    /** The {@code alluxio} script's sub-commands and the classes they run. */
    static final Map<String, String> COMMANDS = Map.of(
            "fs", "alluxio.cli.fs.FileSystemShell",
            "fsadmin", "alluxio.cli.fsadmin.FileSystemAdminShell");

    private static final List<String> QUORUM_REMOVE = List.of("alluxio", "fsadmin", "journal", "quorum", "remove");

    /** The file tests of the {@code test} program a recovery plan may run to check for a backup. */
    static final java.util.Set<String> FILE_TESTS = java.util.Set.of("-e", "-f", "-s");

    private final List<Member> members;
    private final AlluxioClasspath classpath;
    private final Path root;
    private final IntFunction<MemberDirectories> dirs;
    private final LoopbackMapping mapping;
    private final AtomicLong calls = new AtomicLong();

    LocalCli(List<Member> members, AlluxioClasspath classpath, Path root, IntFunction<MemberDirectories> dirs,
            LoopbackMapping mapping) {
        this.members = List.copyOf(members);
        this.classpath = classpath;
        this.root = root;
        this.dirs = dirs;
        this.mapping = mapping;
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        if (!members.contains(member)) {
            return failed(member.podName() + " is not a member of this quorum");
        }
        if (!container.equals(AlluxioNames.CONTAINER)) {
            return failed("pod " + member.podName() + " has no container " + container);
        }
        Optional<Duration> podTimeout = Optional.empty();
        List<String> command = argv;
        if (argv.size() > 4 && argv.subList(0, 3).equals(List.of("timeout", "-s", "KILL"))
                && argv.get(3).matches("[1-9][0-9]{0,5}")) {
            podTimeout = Optional.of(Duration.ofSeconds(Long.parseLong(argv.get(3))));
            command = argv.subList(4, argv.size());
        }
        boolean fileTest = command.size() == 3 && command.get(0).equals("test") && FILE_TESTS.contains(command.get(1));
        if (!fileTest && (command.size() < 2 || !command.get(0).equals("alluxio")
                || !COMMANDS.containsKey(command.get(1)))) {
            return failed("only `[timeout -s KILL <seconds>] alluxio fs|fsadmin ...` and `test -e|-s|-f <path>`"
                    + " run here, not " + argv);
        }
        if (removesFromJobMasterQuorum(command)) {
            return CompletableFuture.completedFuture(new Result(0, "", "no job master runs here (the harness runs"
                    + " masters only), so its journal quorum has no member to remove: " + argv + "\n"));
        }
        command = command.stream().map(mapping::toLocalAddress).toList();
        Path output = root.resolve("cli").resolve(member.podName() + "-" + calls.incrementAndGet());
        Process process;
        try {
            Files.createDirectories(output);
            // The members share this machine's file system as pods share a mounted volume, so the real `test`
            // program sees what it would see in the container.
            ProcessBuilder builder = fileTest
                    ? new ProcessBuilder(command)
                    : AlluxioJvm.builder(classpath, root, dirs.apply(member.ordinal()), AlluxioJvm.CLI_FLAGS,
                            "cli", COMMANDS.get(command.get(1)), command.subList(2, command.size()));
            process = builder
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(output.resolve("stdout").toFile())
                    .redirectError(output.resolve("stderr").toFile())
                    .start();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        podTimeout.ifPresent(after -> CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS)
                .execute(process::destroyForcibly));
        return process.onExit()
                .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .handle((exited, error) -> {
                    if (error != null) {
                        process.destroyForcibly();
                        throw new java.util.concurrent.CompletionException(error instanceof TimeoutException
                                ? new TimeoutException(argv + " did not finish within " + deadline)
                                : error);
                    }
                    return new Result(exited.exitValue(), read(output.resolve("stdout")),
                            read(output.resolve("stderr")));
                });
    }

    /** Whether {@code command} is {@code alluxio fsadmin journal quorum remove} with {@code -domain JOB_MASTER}. */
    static boolean removesFromJobMasterQuorum(List<String> command) {
        return command.size() > QUORUM_REMOVE.size() && command.subList(0, QUORUM_REMOVE.size()).equals(QUORUM_REMOVE)
                && IntStream.range(QUORUM_REMOVE.size(), command.size() - 1)
                        .anyMatch(i -> command.get(i).equals("-domain") && command.get(i + 1).equals("JOB_MASTER"));
    }

    private String read(Path file) {
        try {
            return mapping.toPlanAddresses(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<Result> failed(String why) {
        return CompletableFuture.failedFuture(new IOException(why));
    }
}
