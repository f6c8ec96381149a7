package dev.cacheha.alluxio.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The outputs recorded from real masters, under test resources (see the README there). */
final class RecordedOutputs {

    static final List<String> ALL = List.of("webui-overview-leader.json", "webui-overview-follower.json",
            "quorum-info-healthy.txt", "quorum-info-one-unavailable.txt", "quorum-info-no-quorum.txt",
            "quorum-info-loopback.txt", "master-info.txt", "master-info-no-quorum.txt");

    private RecordedOutputs() {}

    static String read(String name) {
        try (InputStream in = RecordedOutputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded output " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
