package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SPI is what every provider and controller compiles against: a change to a public signature must be a
 * decision, not an accident. This test lists every public and protected type and member of
 * {@code dev.cacheha.spi}, by reflection over the compiled classes, and compares the list with the checked-in
 * {@value #SNAPSHOT}. After a deliberate change, rerun with {@code -Dspi.signatures.write=true} and commit the
 * rewritten file with the change.
 */
class PublicSignaturesTest {

    private static final String SNAPSHOT = "spi-signatures.txt";
    private static final Path CHECKED_IN = Paths.get("src", "test", "resources", SNAPSHOT);

    @Test
    void thePublicSignaturesOfTheSpiAreTheCheckedInOnes() throws IOException, URISyntaxException {
        // Given the compiled SPI
        // When its public signatures are listed
        String actual = String.join("\n", signatures()) + "\n";

        // Then they are the checked-in ones
        if (Boolean.getBoolean("spi.signatures.write")) {
            Files.writeString(CHECKED_IN, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(CHECKED_IN, StandardCharsets.UTF_8);
        assertThat(actual)
                .as("public SPI signatures changed; if deliberate, rerun with -Dspi.signatures.write=true and commit "
                        + CHECKED_IN)
                .isEqualTo(expected);
    }

    @Test
    void theListingSeesEveryPublicTypeAndNoPackagePrivateOne() throws IOException, URISyntaxException {
        List<String> signatures = signatures();

        assertThat(signatures).contains("type public final record dev.cacheha.spi.HostPort");
        assertThat(signatures).anyMatch(line -> line.contains("journalAddresses()")
                && line.contains("java.util.List<dev.cacheha.spi.HostPort>"));
        assertThat(signatures).noneMatch(line -> line.contains("SpecRules"));
    }

    private static List<String> signatures() throws IOException, URISyntaxException {
        Path classes = Paths.get(HaSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/cacheha/spi");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (String className : files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
                    .map(name -> "dev.cacheha.spi." + name.substring(0, name.length() - ".class".length()))
                    .sorted()
                    .toList()) {
                describe(load(className), lines);
            }
        }
        return lines;
    }

    private static Class<?> load(String binaryName) {
        try {
            return Class.forName(binaryName, false, PublicSignaturesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static void describe(Class<?> type, List<String> lines) {
        if (!visible(type.getModifiers()) || type.isAnonymousClass() || type.isSynthetic()
                || (type.getEnclosingClass() != null && !visible(type.getEnclosingClass().getModifiers()))) {
            return;
        }
        String kind = type.isRecord() ? "record" : type.isEnum() ? "enum" : type.isInterface() ? "interface" : "class";
        String modifiers = Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT
                | (type.isInterface() ? 0 : type.getModifiers() & Modifier.ABSTRACT));
        StringBuilder header = new StringBuilder("type " + modifiers + " " + kind + " " + type.getTypeName());
        if (type.getGenericSuperclass() != null && !kind.equals("record") && !kind.equals("enum")
                && type.getSuperclass() != Object.class) {
            header.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        String interfaces = Arrays.stream(type.getGenericInterfaces()).map(java.lang.reflect.Type::getTypeName)
                .sorted().reduce((a, b) -> a + ", " + b).orElse("");
        if (!interfaces.isEmpty()) {
            header.append(type.isInterface() ? " extends " : " implements ").append(interfaces);
        }
        if (type.isSealed()) {
            header.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getTypeName)
                    .sorted().reduce((a, b) -> a + ", " + b).orElse(""));
        }
        lines.add(header.toString());
        List<String> members = new ArrayList<>();
        Stream.of(type.getDeclaredFields()).filter(PublicSignaturesTest::visibleMember)
                .forEach(field -> members.add("  field " + field.toGenericString()));
        Stream.of(type.getDeclaredConstructors()).filter(PublicSignaturesTest::visibleMember)
                .forEach(constructor -> members.add("  constructor " + constructor.toGenericString()));
        Stream.of(type.getDeclaredMethods()).filter(PublicSignaturesTest::visibleMember)
                .forEach(method -> members.add("  method " + method.toGenericString()));
        members.stream().sorted().forEach(lines::add);
    }

    private static boolean visibleMember(Member member) {
        boolean bridge = member instanceof Executable executable && executable.isSynthetic();
        return visible(member.getModifiers()) && !member.isSynthetic() && !bridge;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
