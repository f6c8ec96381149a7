package dev.cacheha.testkit.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/provider-guide.md cannot rot: each of its Java blocks is a marked region of a source file in this package,
 * which the build compiles and runs against the kit, and the versions its pom block and the BOM name are the
 * build's own.
 */
class ProviderGuideTest {

    private static final Path ROOT = Path.of("..");
    private static final Path GUIDE = ROOT.resolve("docs/provider-guide.md");
    private static final Path SOURCES = Path.of("src/test/java/dev/cacheha/testkit/guide");
    private static final Pattern INCLUDED = Pattern.compile(
            "<!-- include: (\\S+?)#(\\S+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern REGION_MARK = Pattern.compile("\\s*// (tag|end)::[a-z-]+\\[\\]");

    @Test
    void givenTheGuideThenEveryJavaBlockIsTheRegionOfACompiledSourceItNames() throws IOException {
        String guide = Files.readString(GUIDE);
        Matcher included = INCLUDED.matcher(guide);
        int blocks = 0;
        while (included.find()) {
            blocks++;
            assertThat(included.group(3)).as("the block of %s#%s", included.group(1), included.group(2))
                    .isEqualTo(region(SOURCES.resolve(included.group(1)), included.group(2)));
        }
        assertThat(blocks).as("included blocks").isPositive()
                .isEqualTo(count(guide, "```java")).as("every Java block of the guide is included");
    }

    @Test
    void givenTheExampleSourcesThenEveryRegionIsShownInTheGuide() throws IOException {
        String guide = Files.readString(GUIDE);
        for (String file : List.of("GooseHighAvailabilityProvider.java", "GooseConformanceTest.java")) {
            Matcher tag = Pattern.compile("// tag::([a-z-]+)\\[\\]").matcher(Files.readString(SOURCES.resolve(file)));
            while (tag.find()) {
                assertThat(guide).as("the guide shows %s#%s", file, tag.group(1))
                        .contains("<!-- include: " + file + "#" + tag.group(1) + " -->");
            }
        }
    }

    @Test
    void givenTheGuideThenTheLineCountItStatesIsTheExamplesOwn() throws IOException {
        long lines = Files.readAllLines(SOURCES.resolve("GooseHighAvailabilityProvider.java")).size();

        assertThat(Files.readString(GUIDE)).contains("the provider is " + lines + " lines");
        assertThat(lines).as("a complete provider on the toolkit").isLessThanOrEqualTo(200);
    }

    @Test
    void givenTheGuidesPomThenItsPluginVersionsAreTheBuildsOwn() throws IOException {
        String guide = Files.readString(GUIDE);
        String root = Files.readString(ROOT.resolve("pom.xml"));

        assertThat(guide).contains("<artifactId>maven-surefire-plugin</artifactId>\n      <version>"
                + property(root, "surefire-plugin.version") + "</version>");
        assertThat(guide).contains("<artifactId>maven-compiler-plugin</artifactId>\n      <version>"
                + property(root, "compiler-plugin.version") + "</version>");
        assertThat(guide).contains("<artifactId>auto-service</artifactId>\n    <version>"
                + property(root, "auto-service.version") + "</version>");
    }

    @Test
    void givenTheBomThenEveryVersionItHandsProvidersIsTheOneTheBuildUses() throws IOException {
        String root = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("cache-ha-bom/pom.xml"));

        for (String name : List.of("fabric8.version", "jackson.version", "junit.version", "assertj.version")) {
            assertThat(property(bom, name)).as(name).isEqualTo(property(root, name));
        }
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]}, without marks, least indent removed. */
    private static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = lines.indexOf(lines.stream().filter(line -> line.strip().equals("// tag::" + name + "[]"))
                .findFirst().orElseThrow(() -> new AssertionError("no region " + name + " in " + file)));
        int end = lines.indexOf(lines.stream().filter(line -> line.strip().equals("// end::" + name + "[]"))
                .findFirst().orElseThrow(() -> new AssertionError("no end of region " + name + " in " + file)));
        List<String> body = new ArrayList<>();
        for (String line : lines.subList(start + 1, end)) {
            if (!REGION_MARK.matcher(line).matches()) {
                body.add(line);
            }
        }
        int indent = body.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return String.join("\n", body.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    }

    private static String property(String pom, String name) {
        Matcher value = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(value.find()).as("property %s", name).isTrue();
        return value.group(1);
    }

    private static int count(String text, String token) {
        int found = 0;
        for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
            found++;
        }
        return found;
    }
}
