package dev.cacheha.realcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The credentials of one cluster run, made fresh for it and readable by this user only: a bearer token per
 * user of the static token file, the service-account signing key pair, and one kubeconfig per user. They
 * live in their own folder, which {@link #delete()} removes when the cluster stops (logs are kept, these not).
 */
final class ClusterCredentials {

    /** A user of the static token file. */
    enum User {
        ADMIN("cache-ha-admin", "system:masters"),
        CONTROLLER_MANAGER("system:kube-controller-manager", ""),
        SCHEDULER("system:kube-scheduler", ""),
        KWOK("kwok-controller", "system:masters");

        private final String name;
        private final String group;

        User(String name, String group) {
            this.name = name;
            this.group = group;
        }

        String fileName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final String OWNER_ONLY = "rw-------";

    private final Path directory;
    private final Map<User, String> tokens = new EnumMap<>(User.class);

    private ClusterCredentials(Path directory) {
        this.directory = directory;
    }

    /** Generates the tokens and the service-account key pair into {@code directory} (created, owner-only). */
    static ClusterCredentials create(Path directory) {
        ClusterCredentials credentials = new ClusterCredentials(directory);
        SecureRandom random = new SecureRandom();
        for (User user : User.values()) {
            byte[] token = new byte[32];
            random.nextBytes(token);
            credentials.tokens.put(user, HexFormat.of().formatHex(token));
        }
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            StringBuilder tokenFile = new StringBuilder();
            for (User user : User.values()) {
                // token,user,uid,"group1,group2"
                tokenFile.append(credentials.tokens.get(user)).append(',').append(user.name).append(',')
                        .append(user.name).append(",\"").append(user.group).append("\"\n");
            }
            credentials.writeOwnerOnly(credentials.tokenFile(), tokenFile.toString());
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            KeyPair serviceAccountKeys = generator.generateKeyPair();
            credentials.writeOwnerOnly(credentials.serviceAccountPrivateKey(),
                    pem("PRIVATE KEY", serviceAccountKeys.getPrivate().getEncoded()));
            credentials.writeOwnerOnly(credentials.serviceAccountPublicKey(),
                    pem("PUBLIC KEY", serviceAccountKeys.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster's credentials into " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the service-account key pair", e);
        }
        return credentials;
    }

    /** {@code der} in PEM armour of {@code type} ("PRIVATE KEY", "CERTIFICATE"...). */
    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    Path tokenFile() {
        return directory.resolve("tokens.csv");
    }

    Path serviceAccountPrivateKey() {
        return directory.resolve("service-account.key");
    }

    Path serviceAccountPublicKey() {
        return directory.resolve("service-account.pub");
    }

    String token(User user) {
        return tokens.get(user);
    }

    /**
     * Writes the kubeconfig of {@code user} for the API server at {@code server} whose serving certificate (with
     * its CA) is {@code caFile}, and returns its path.
     */
    Path kubeconfig(User user, String server, Path caFile) {
        String yaml = String.join("\n", List.of(
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: real-cluster",
                "  cluster:",
                "    server: " + server,
                "    certificate-authority: " + caFile,
                "users:",
                "- name: " + user.name,
                "  user:",
                "    token: " + tokens.get(user),
                "contexts:",
                "- name: real-cluster",
                "  context:",
                "    cluster: real-cluster",
                "    user: " + user.name,
                "current-context: real-cluster",
                ""));
        Path file = directory.resolve(user.fileName() + ".kubeconfig");
        try {
            writeOwnerOnly(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
        Files.writeString(file, content);
    }

    /** Removes every credential file; the cluster is stopped by then, so none is needed again. */
    void delete() {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the cluster's credentials in " + directory, e);
        }
    }
}
