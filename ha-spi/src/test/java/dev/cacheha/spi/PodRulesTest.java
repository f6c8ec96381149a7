package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.validSpec;
import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resources, secret properties and credential-looking plain properties: each rule with its field path. */
class PodRulesTest {

    @Test
    void everyBrokenResourceRuleIsReportedAtOnceWithItsFieldPath() {
        // Given resources with a bad quantity, a zero, an unknown resource, a request above its limit and a bad name
        HaSpec.Builder builder = validSpec()
                .resources("master", ProcessResources.of(
                        Map.of("cpu", "lots", "memory", "4Gi"), Map.of("memory", "2Gi", "gpu", "1")))
                .resources("job-master", ProcessResources.of(Map.of("cpu", "0"), Map.of()))
                .resources("Job_Master", ProcessResources.NONE);

        // When it builds, Then every violation names its field
        assertThat(violationsOf(builder)).extracting(Violation::field).containsExactlyInAnyOrder(
                "resources.master.requests.cpu",
                "resources.master.limits.gpu",
                "resources.master.requests.memory",
                "resources.job-master.requests.cpu",
                "resources.Job_Master");
        assertThat(violationsOf(builder)).filteredOn(v -> v.field().equals("resources.master.requests.memory"))
                .singleElement().asString().contains("4Gi", "resources.master.limits.memory", "2Gi");
    }

    @Test
    void validResourcesAreKeptSorted() {
        // Given valid resources for two processes, given out of order
        HaSpec spec = validSpec()
                .resources("master", ProcessResources.of(Map.of("memory", "1Gi", "cpu", "500m"),
                        Map.of("memory", "1Gi")))
                .resources("job-master", ProcessResources.of(Map.of("cpu", "1"), Map.of("cpu", "2")))
                .build();

        // Then they are kept, sorted by process name
        assertThat(spec.resources()).containsOnlyKeys("job-master", "master");
        assertThat(spec.resources().firstKey()).isEqualTo("job-master");
        assertThat(spec.resources("master").request("cpu")).contains("500m");
        assertThat(spec.resources("worker")).isEqualTo(ProcessResources.NONE);
    }

    @Test
    void defaultsFillWhatTheSpecLeavesOpenWithoutContradictingIt() {
        // Given engine defaults of a 2Gi request and limit
        ProcessResources defaults = ProcessResources.of(Map.of("cpu", "1", "memory", "2Gi"),
                Map.of("memory", "2Gi"));

        // When a spec names only a lower limit, or only a higher request
        ProcessResources lowerLimit = ProcessResources.of(null, Map.of("memory", "1Gi")).withDefaults(defaults);
        ProcessResources higherRequest = ProcessResources.of(Map.of("memory", "3Gi"), null).withDefaults(defaults);

        // Then the default on the other side follows the named value
        assertThat(lowerLimit.requests()).containsEntry("memory", "1Gi").containsEntry("cpu", "1");
        assertThat(lowerLimit.limits()).containsEntry("memory", "1Gi");
        assertThat(higherRequest.limits()).containsEntry("memory", "3Gi");
    }

    @Test
    void secretPropertiesAreCheckedForKeySecretNameDataKeyAndClashWithAPlainProperty() {
        // Given secret properties with a bad key, a bad Secret name, a bad data key, and one also set in plain
        HaSpec.Builder builder = validSpec()
                .property("fs.oss.endpoint", "oss.example.com")
                .secretProperty("bad key", "creds", "k")
                .secretProperty("fs.s3a.secret.key", "Creds_Upper", "k")
                .secretProperty("fs.oss.accessKeySecret", "creds", "a/b")
                .secretProperty("fs.oss.endpoint", "creds", "endpoint");

        // Then each is reported with its path
        assertThat(violationsOf(builder)).extracting(Violation::field).containsExactlyInAnyOrder(
                "secretProperties[bad key]",
                "secretProperties[fs.s3a.secret.key].secret",
                "secretProperties[fs.oss.accessKeySecret].key",
                "secretProperties[fs.oss.endpoint]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3a.secretKey", "fs.s3a.access.key", "aws.accessKeyId", "fs.s3a.credentials.provider",
        "alluxio.master.journal.password", "fs.oss.security.token", "fs.gcs.private_key"})
    void aPlainPropertyNamingACredentialIsRefusedWithAHintToUseASecretProperty(String key) {
        // Given a plain property whose key names a credential
        HaSpec.Builder builder = validSpec().property(key, "AKIAEXAMPLE");

        // When it builds, Then it is refused at its path, pointing to secret properties
        assertThat(violationsOf(builder)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("properties[" + key + "]");
            assertThat(violation.rule()).contains("credential", "secretProperties[" + key + "]",
                    "--secret-property");
            assertThat(violation.rule()).doesNotContain("AKIAEXAMPLE");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs.azure.account.key.myaccount.blob.core.windows.net",
        "alluxio.master.mount.table.root.option.fs.azure.account.key.acct.dfs.core.windows.net"})
    void anAzureAccountKeyInAPlainPropertyIsRefusedAsACredential(String key) {
        // Given Azure's storage account key as a plain property, whose key holds none of the other words
        HaSpec.Builder builder = validSpec().property(key, "bXlrZXk=");

        // When it builds, Then it is refused at its path as a credential
        assertThat(violationsOf(builder)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("properties[" + key + "]");
            assertThat(violation.rule()).contains("credential (\"accountkey\")", "secretProperties[" + key + "]");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3a://AKIA:secret@bucket/data", "hdfs://nn:8020/a,s3a://AKIA@bucket",
        "oss://id:key@bucket.oss-cn-hangzhou.aliyuncs.com?x=1"})
    void aPlainValueThatIsAUriWithUserInfoIsRefusedWithoutEchoingIt(String value) {
        // Given a plain property whose key names no credential but whose value carries one in a URI's user info
        HaSpec.Builder builder = validSpec().property("alluxio.master.mount.table.root.ufs", value);

        // When it builds, Then it is refused at its path, and the message does not repeat the value
        assertThat(violationsOf(builder)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("properties[alluxio.master.mount.table.root.ufs]");
            assertThat(violation.rule()).contains("user info", "secretProperties").doesNotContain("AKIA", "key@");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3a://bucket/path", "hdfs://nn:8020/user/alice@example.com", "mailto:ops@example.com",
        "s3://bucket/a?tag=x@y", "plain@text"})
    void valuesWithAnAtSignOutsideAUriAuthorityAreNotMistakenForCredentials(String value) {
        assertThat(validSpec().property("alluxio.master.mount.table.root.ufs", value).build().properties())
                .containsEntry("alluxio.master.mount.table.root.ufs", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws.$(HOME)", "a$$b", "key with blank", "key=x", "#key", ".hidden", "k\\e", "k:e",
        "caf\u00e9.key"})
    void aSecretPropertyKeyBeyondLettersDigitsDotDashUnderscoreIsRefused(String key) {
        // Given a secret property whose key the kubelet would expand ($) or the properties format would change
        HaSpec.Builder builder = validSpec().secretProperty(key, "creds", "k");

        // When it builds, Then it is refused once, at its path, naming the characters allowed
        assertThat(violationsOf(builder)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).startsWith("secretProperties[");
            assertThat(violation.rule()).contains("letters, digits, '.', '-' and '_'", "'$'");
        });
    }

    @Test
    void theSameCredentialAsASecretPropertyIsAccepted() {
        HaSpec spec = validSpec().secretProperty("s3a.secretKey", "s3-credentials", "secret-key").build();

        assertThat(spec.secretProperties()).containsEntry("s3a.secretKey",
                new SecretKeyReference("s3-credentials", "secret-key"));
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alluxio.user.block.size.bytes.default", "alluxio.security.authentication.type",
        "alluxio.master.mount.table.root.ufs", "fs.oss.endpoint"})
    void ordinaryPropertiesAreNotMistakenForCredentials(String key) {
        assertThat(validSpec().property(key, "x").build().properties()).containsKey(key);
    }
}
