package dev.cacheha.alluxio.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where one local master keeps everything: its Alluxio home, configuration (the plan's properties as
 * {@code alluxio-site.properties}), logs, journal and metastore, all under the quorum's temporary root.
 *
 * @param home the member's {@code alluxio.home}
 */
record MemberDirectories(Path home) {

    /** Creates the directories of member {@code ordinal} under {@code root}. */
    static MemberDirectories create(Path root, int ordinal) {
        MemberDirectories dirs = new MemberDirectories(root.resolve("member-" + ordinal));
        try {
            for (Path dir : new Path[] {dirs.conf(), dirs.logs(), dirs.work(), dirs.journal(), dirs.metastore()}) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories of member " + ordinal, e);
        }
        return dirs;
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path work() {
        return home.resolve("work");
    }

    Path journal() {
        return home.resolve("journal");
    }

    Path metastore() {
        return home.resolve("metastore");
    }

    /** The file that collects the master's standard output and error, across restarts. */
    Path masterLog() {
        return home.resolve("master.log");
    }

    /** The site file Alluxio reads from {@code alluxio.conf.dir}, as a pod reads the plan's ConfigMap. */
    Path siteProperties() {
        return conf().resolve("alluxio-site.properties");
    }

    /** The log4j 1 configuration handed to the master ({@code out}) or to a CLI JVM ({@code cli}). */
    Path log4j(String purpose) {
        return conf().resolve("log4j-" + purpose + ".properties");
    }

    /** Writes the member's site properties and its two logging configurations. */
    void writeConfiguration(Map<String, String> siteProperties) {
        Properties properties = new Properties();
        properties.putAll(siteProperties);
        try (OutputStream out = Files.newOutputStream(siteProperties())) {
            properties.store(out, "the plan's properties, mapped to loopback by LoopbackMapping");
            // The master logs to stdout, which goes to master.log; a CLI keeps stdout for its answer.
            Files.writeString(log4j("master"), log4jToConsole("INFO", "System.out"), StandardCharsets.UTF_8);
            Files.writeString(log4j("cli"), log4jToConsole("WARN", "System.err"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration under " + conf(), e);
        }
    }

    static String log4jToConsole(String level, String target) {
        return String.join("\n",
                "log4j.rootLogger=" + level + ", console",
                "log4j.appender.console=org.apache.log4j.ConsoleAppender",
                "log4j.appender.console.Target=" + target,
                "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p [%t] %c{1} - %m%n",
                "");
    }
}
