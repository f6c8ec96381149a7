package dev.cacheha.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsTheShortFormsAndIso8601() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(converter.convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(converter.convert("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void refusesZeroNegativeAndGarbageWithTheValueInTheMessage() {
        assertThatThrownBy(() -> converter.convert("0s")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'0s' is not a positive duration");
        assertThatThrownBy(() -> converter.convert("PT-1S")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void acceptsTheBoundsOfTheRangeAndRefusesWhatIsOutsideIt() {
        assertThat(converter.convert("1ms")).isEqualTo(DurationConverter.SHORTEST);
        assertThat(converter.convert("60m")).isEqualTo(DurationConverter.LONGEST);
        for (String outside : new String[] {"PT0.0005S", "61m", "PT2H", "999999999m", "99999999999999999999s"}) {
            assertThatThrownBy(() -> converter.convert(outside)).as(outside).isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("'" + outside + "' is out of range: a duration is from 1ms to 1 hour");
        }
    }

    @Test
    void aTimeoutOutOfRangeIsBadInputNamingTheOption() {
        // When
        CacheHaRun leader = CacheHaRun.of("leader", "--engine", "alluxio", "--member", "127.0.0.1:1",
                "--timeout", "999999999m");
        CacheHaRun demo = CacheHaRun.of("demo", "--timeout", "PT2H");

        // Then
        for (CacheHaRun run : new CacheHaRun[] {leader, demo}) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("--timeout").contains("out of range");
        }
    }
}
