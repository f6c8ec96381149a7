package dev.cacheha.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version of {@code cache-ha} as the build stamped it into {@value #RESOURCE}: Maven filters that
 * resource with the project's version, so the CLI never carries a version of its own to forget.
 */
public final class BuildVersion implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"cache-ha " + version()};
    }

    /**
     * The project version of this build.
     *
     * @throws IllegalStateException if the resource is missing or was not filtered, so no version is known
     */
    public static String version() {
        Properties stamped = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build did not include " + RESOURCE + " next to "
                        + BuildVersion.class.getName());
            }
            stamped.load(in);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read " + RESOURCE, unreadable);
        }
        String version = stamped.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no version (\"" + version + "\"): the build did"
                    + " not filter it");
        }
        return version;
    }
}
