package dev.cacheha.alluxio.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM that runs Alluxio code for one member: a master or a CLI call. Both read the
 * member's configuration directory, so a CLI call sees exactly what a shell in that member's pod would.
 */
final class AlluxioJvm {

    /**
     * The system property every JVM of a {@link LocalAlluxioQuorum} carries, set to the quorum's root: how a
     * test finds leftover processes by command line.
     */
    static final String MARKER = "dev.cacheha.alluxio.local.root";

    /** Masters: a small heap and a single-threaded collector, so three fit a small shared machine. */
    static final List<String> MASTER_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    /** CLI calls live a second or two: skip the optimising compiler, whose work would never pay off. */
    static final List<String> CLI_FLAGS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private AlluxioJvm() {}

    /**
     * A process builder for {@code mainClass} with {@code args}, configured as member {@code dirs}.
     *
     * @param logPurpose which log4j configuration of the member to use: {@code master} or {@code cli}
     */
    static ProcessBuilder builder(AlluxioClasspath classpath, Path root, MemberDirectories dirs, List<String> flags,
            String logPurpose, String mainClass, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(flags);
        // RocksDB unpacks a native library into java.io.tmpdir for every JVM and never removes it.
        argv.add("-Djava.io.tmpdir=" + root.resolve("tmp"));
        argv.add("-D" + MARKER + "=" + root);
        argv.add("-Dalluxio.home=" + dirs.home());
        argv.add("-Dalluxio.conf.dir=" + dirs.conf());
        argv.add("-Dalluxio.logs.dir=" + dirs.logs());
        argv.add("-Dalluxio.work.dir=" + dirs.work());
        argv.add("-Dlog4j.configuration=" + dirs.log4j(logPurpose).toUri());
        argv.add(mainClass);
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv);
        // The classpath goes in the environment: 300 jar paths would drown the marker in `ps` output.
        builder.environment().put("CLASSPATH", classpath.joined());
        return builder;
    }
}
