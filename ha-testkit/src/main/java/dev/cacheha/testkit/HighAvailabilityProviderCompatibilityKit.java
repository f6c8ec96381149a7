package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.RuntimeLabels;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The requirements every {@link HighAvailabilityProvider} meets, as JUnit 5 tests. A provider author
 * extends this class in their tests, says which provider to check and how its members answer, and runs it:
 *
 * <pre>{@code
 * class MyProviderConformanceTest extends HighAvailabilityProviderCompatibilityKit {
 *     protected HighAvailabilityProvider provider() { return new MyProvider(); }
 *     protected EngineImpersonation impersonation() {
 *         return (member, role, cluster) -> cluster.probe().answer(member, "/role",
 *                 Reply.of(new MemberProbe.Response(200, role.name())));
 *     }
 * }
 * }</pre>
 *
 * <p>The kit knows no engine. It learns names (the StatefulSet, its claim templates, the members) from the
 * provider's own plan, and scripts healthy members through the author's {@link EngineImpersonation} before
 * breaking them its own way. It plans runtime {@value SpecFixtures#NAME} in namespace
 * {@value SpecFixtures#NAMESPACE}, and adds properties under {@code cache-ha.testkit.} to check that equal
 * specs give equal plans, so a provider must accept properties it does not know.
 */
public abstract class HighAvailabilityProviderCompatibilityKit {

    /** The deadline of one probe or command in the kit's discoveries. */
    protected static final Duration DEADLINE = Duration.ofSeconds(1);

    /** How long a discovery may take when a member hangs: the deadline and half again for the work around it. */
    protected static final Duration HUNG_MEMBER_BOUND = DEADLINE.multipliedBy(3).dividedBy(2);

    /** How long any other discovery may take before the kit gives up on it. */
    private static final Duration DISCOVERY_BOUND = DEADLINE.multipliedBy(5);

    private static final List<Integer> QUORUM_SIZES = List.of(1, 3, 5, 7);

    /** The provider to check; a new or a shared instance, as the author likes. */
    protected abstract HighAvailabilityProvider provider();

    /** How this engine's members answer as leader or follower, in the requests the provider's discovery sends. */
    protected abstract EngineImpersonation impersonation();

    /**
     * A builder of a spec the provider accepts, which the kit varies. The default is {@link HaSpec#builder}
     * with every default; override it when the engine needs more (an image, a port).
     */
    protected HaSpec.Builder validSpec(String name, String namespace) {
        return HaSpec.builder(name, namespace);
    }

    /** Specs only this engine refuses, checked with the shared corpus of {@link SpecFixtures#invalidSpecs()}. */
    protected List<InvalidSpec> engineInvalidSpecs() {
        return List.of();
    }

    private HaSpec spec(int replicas) {
        return validSpec(NAME, NAMESPACE).replicas(replicas).build();
    }

    private HaSpec spec(JournalStorage journal) {
        return validSpec(NAME, NAMESPACE).journal(journal).build();
    }

    /** Finding the provider. */
    @Nested
    @DisplayName("Registration")
    class Registration {

        @Test
        @DisplayName("is found through ServiceLoader by its engine name")
        void isFoundThroughServiceLoaderByItsEngineName() {
            HighAvailabilityProvider provider = provider();

            HighAvailabilityProviders installed = HighAvailabilityProviders.load();

            assertThat(installed.installed()).contains(provider.engine());
            assertThat(installed.get(provider.engine())).hasSameClassAs(provider);
        }

        @Test
        @DisplayName("has a stable, lower-case, non-blank engine name")
        void hasAStableLowerCaseNonBlankEngineName() {
            String engine = provider().engine();

            assertThat(engine).isNotBlank()
                    .isEqualTo(engine.strip())
                    .isEqualTo(engine.toLowerCase(Locale.ROOT));
            assertThat(provider().engine()).isEqualTo(engine);
            assertThat(HighAvailabilityProviders.load().get(engine).engine()).isEqualTo(engine);
        }
    }

    /** Refusing bad specs before anything is planned. */
    @Nested
    @DisplayName("Validation")
    class Validation {

        @Test
        @DisplayName("accepts the valid spec at every quorum size")
        void acceptsTheValidSpecAtEveryQuorumSize() {
            for (int replicas : QUORUM_SIZES) {
                HaSpec spec = spec(replicas);

                assertThatCode(() -> provider().validate(spec)).as("validate, %d masters", replicas)
                        .doesNotThrowAnyException();
                assertThat(provider().plan(spec).members()).as("plan, %d masters", replicas).hasSize(replicas);
            }
        }

        @TestFactory
        @DisplayName("refuses each invalid spec, naming the faulty field, and plans nothing for it")
        Stream<DynamicTest> refusesEachInvalidSpecNamingTheFaultyFieldAndPlansNothingForIt() {
            return Stream.concat(SpecFixtures.invalidSpecs().stream(), engineInvalidSpecs().stream())
                    .map(invalid -> dynamicTest(invalid.description(), () -> assertRefused(invalid)));
        }

        private void assertRefused(InvalidSpec invalid) {
            HaSpec spec;
            try {
                spec = invalid.build().apply(HighAvailabilityProviderCompatibilityKit.this::validSpec);
            } catch (SpecValidationException refusedByTheSpec) {
                assertNamesFields(refusedByTheSpec, invalid, "building the spec");
                return;
            }
            HighAvailabilityProvider provider = provider();
            try (ScriptedCluster nobody = new ScriptedCluster(List.of())) {
                Map<String, Runnable> calls = new LinkedHashMap<>();
                calls.put("validate", () -> provider.validate(spec));
                calls.put("plan", () -> provider.plan(spec));
                calls.put("leaderDiscovery", () -> provider.leaderDiscovery(spec, nobody.access(DEADLINE)));
                calls.forEach((call, action) -> {
                    Throwable thrown = catchThrowable(action::run);
                    assertThat(thrown).as("%s of a spec with %s", call, invalid.description())
                            .isInstanceOf(SpecValidationException.class);
                    assertNamesFields((SpecValidationException) thrown, invalid, call);
                });
            }
        }

        private static void assertNamesFields(SpecValidationException refusal, InvalidSpec invalid, String step) {
            List<String> named = refusal.violations().stream().map(Violation::field).toList();
            for (String field : invalid.fields()) {
                assertThat(named).as("fields named by %s of a spec with %s: %s", step, invalid.description(),
                        refusal.getMessage()).anyMatch(path -> path.startsWith(field));
            }
        }
    }

    /** What is planned for a valid spec. */
    @Nested
    @DisplayName("Planning")
    class Planning {

        @Test
        @DisplayName("plans the same objects in the same order for equal specs, however they were built")
        void plansTheSameObjectsInTheSameOrderForEqualSpecs() {
            HaSpec forwards = validSpec(NAME, NAMESPACE)
                    .property("cache-ha.testkit.a", "1").property("cache-ha.testkit.b", "2").build();
            HaSpec backwards = validSpec(NAME, NAMESPACE)
                    .property("cache-ha.testkit.b", "2").property("cache-ha.testkit.a", "1").build();

            HaPlan first = provider().plan(forwards);
            HaPlan again = provider().plan(forwards);
            HaPlan reordered = provider().plan(backwards);

            assertThat(again).isEqualTo(first);
            assertThat(again.toString()).isEqualTo(first.toString());
            assertThat(reordered).isEqualTo(first);
            assertThat(reordered.toString()).isEqualTo(first.toString());
        }

        @Test
        @DisplayName("lists one journal address per member, in ordinal order, inside the runtime's namespace")
        void listsOneJournalAddressPerMemberInOrdinalOrderInsideTheNamespace() {
            for (int replicas : QUORUM_SIZES) {
                HaPlan plan = provider().plan(spec(replicas));

                assertThat(plan.members()).as("members of %d", replicas).extracting(Member::ordinal)
                        .containsExactlyElementsOf(IntStream.range(0, replicas).boxed().toList());
                assertThat(plan.members()).as("pod names of %d", replicas).extracting(Member::podName)
                        .doesNotHaveDuplicates();
                assertThat(plan.journalAddresses()).as("journal addresses of %d", replicas)
                        .hasSize(replicas).doesNotHaveDuplicates();
                for (Member member : plan.members()) {
                    String address = plan.journalAddresses().get(member.ordinal()).getHost();
                    assertThat(member.namespace()).as("namespace of %s", member.podName()).isEqualTo(NAMESPACE);
                    assertThat(member.host()).as("host of %s", member.podName()).contains("." + NAMESPACE + ".");
                    assertThat(address).as("journal address %d of %d", member.ordinal(), replicas)
                            .contains("." + NAMESPACE + ".")
                            .satisfiesAnyOf(
                                    host -> assertThat(host).isEqualTo(member.host()),
                                    host -> assertThat(host).startsWith(member.podName() + "."));
                }
            }
        }

        @Test
        @DisplayName("gives a persistent journal claims in storage class standard unless told otherwise, deleted with the runtime")
        void givesAPersistentJournalClaimsInStorageClassStandardDeletedWithTheRuntime() {
            List<PersistentVolumeClaim> standard =
                    templates(provider().plan(spec(JournalStorage.persistentVolume("5Gi"))));
            List<PersistentVolumeClaim> fast = templates(provider().plan(
                    spec(JournalStorage.persistentVolume("5Gi").withStorageClass("fast-ssd"))));

            assertThat(standard).as("claim templates").isNotEmpty().allSatisfy(template -> {
                assertThat(template.getSpec().getStorageClassName()).isEqualTo(JournalStorage.DEFAULT_STORAGE_CLASS);
                assertThat(template.getMetadata().getAnnotations()).containsEntry(RuntimeLabels.DELETE_CLAIM, "true");
                assertThat(bytes(template.getSpec().getResources().getRequests().get("storage")))
                        .isEqualTo(bytes(new Quantity("5Gi")));
            });
            assertThat(fast).as("claim templates with a storage class").isNotEmpty()
                    .allSatisfy(template -> assertThat(template.getSpec().getStorageClassName()).isEqualTo("fast-ssd"));
        }

        @Test
        @DisplayName("keeps a memory journal in an emptyDir of medium Memory and makes no claims")
        void keepsAMemoryJournalInAnEmptyDirOfMediumMemoryAndMakesNoClaims() {
            HaPlan plan = provider().plan(spec(JournalStorage.memory("2Gi")));

            StatefulSet statefulSet = ClaimFixtures.statefulSet(plan);
            assertThat(templates(plan)).as("claim templates").isEmpty();
            assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes()).as("pod volumes")
                    .anySatisfy(volume -> {
                        assertThat(volume.getEmptyDir()).isNotNull();
                        assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");
                        assertThat(bytes(volume.getEmptyDir().getSizeLimit())).isEqualTo(bytes(new Quantity("2Gi")));
                    });
        }

        @Test
        @DisplayName("keeps a majority of masters through voluntary disruptions with a PodDisruptionBudget")
        void keepsAMajorityThroughVoluntaryDisruptions() {
            for (int replicas : QUORUM_SIZES.subList(1, QUORUM_SIZES.size())) {
                HaPlan plan = provider().plan(spec(replicas));

                List<PodDisruptionBudget> budgets = plan.objects().stream()
                        .filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast).toList();
                assertThat(budgets).as("disruption budgets of %d", replicas).hasSize(1);
                PodDisruptionBudget budget = budgets.get(0);
                assertThat(budget.getSpec().getMinAvailable().getIntVal()).as("minAvailable of %d", replicas)
                        .isEqualTo(replicas / 2 + 1);
                assertThat(ClaimFixtures.statefulSet(plan).getSpec().getTemplate().getMetadata().getLabels())
                        .as("pod labels, which the budget selects")
                        .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
            }
        }

        @Test
        @DisplayName("puts every object, pod and claim in the runtime's namespace with the runtime's labels")
        void labelsEveryObjectPodAndClaimAsTheRuntimesMasters() {
            HaPlan plan = provider().plan(spec(JournalStorage.persistentVolume("1Gi")));
            Map<String, String> labels = RuntimeLabels.masters(provider().engine(), NAME);

            assertThat(plan.objects()).isNotEmpty().allSatisfy(object -> {
                assertThat(object.getMetadata().getLabels()).as("labels of %s", describe(object))
                        .containsAllEntriesOf(labels);
                assertThat(object.getMetadata().getNamespace()).as("namespace of %s", describe(object))
                        .isEqualTo(NAMESPACE);
            });
            assertThat(ClaimFixtures.statefulSet(plan).getSpec().getTemplate().getMetadata().getLabels())
                    .as("pod labels").containsAllEntriesOf(labels);
            assertThat(ClaimFixtures.claimsOf(plan)).as("claims").isNotEmpty()
                    .allSatisfy(claim -> assertThat(claim.getMetadata().getLabels()).containsAllEntriesOf(labels));
        }

        private static List<PersistentVolumeClaim> templates(HaPlan plan) {
            return Optional.ofNullable(ClaimFixtures.statefulSet(plan).getSpec().getVolumeClaimTemplates())
                    .orElse(List.of());
        }

        private static Object bytes(Quantity quantity) {
            return quantity == null ? null : Quantity.getAmountInBytes(quantity).stripTrailingZeros();
        }

        private static String describe(HasMetadata object) {
            return object.getKind() + " " + object.getMetadata().getName();
        }
    }

    /** Finding the leader against scripted members. */
    @Nested
    @DisplayName("Leader discovery")
    class LeaderDiscoveryRequirements {

        @Test
        @DisplayName("names the one member that leads, and calls the quorum healthy when every member answers")
        void namesTheOneMemberThatLeads() {
            HaPlan plan = provider().plan(spec(3));

            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.FOLLOWER, Role.LEADER, Role.FOLLOWER);
            });

            assertThat(status.health()).isEqualTo(Health.HEALTHY);
            assertThat(status.leader()).contains(plan.members().get(1));
            assertThat(status.members()).extracting(MemberAnswer::member).containsExactlyElementsOf(plan.members());
            assertThat(status.members()).extracting(MemberAnswer::role)
                    .containsExactly(Role.FOLLOWER, Role.LEADER, Role.FOLLOWER);
        }

        @Test
        @DisplayName("names no leader and reports no quorum when no member leads")
        void namesNoLeaderWhenNoMemberLeads() {
            HaPlan plan = provider().plan(spec(3));

            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER);
            });

            assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
            assertThat(status.leader()).isEmpty();
        }

        @Test
        @DisplayName("still names the leader, degraded, when a minority is down")
        void stillNamesTheLeaderWhenAMinorityIsDown() {
            HaPlan plan = provider().plan(spec(3));

            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                cluster.down(cluster.member(2));
            });

            assertThat(status.health()).isEqualTo(Health.DEGRADED);
            assertThat(status.leader()).contains(plan.members().get(0));
            assertThat(roleOf(status, 2)).isEqualTo(Role.UNREACHABLE);
        }

        @Test
        @DisplayName("reports no quorum and names no leader when a majority is down")
        void reportsNoQuorumWhenAMajorityIsDown() {
            HaPlan plan = provider().plan(spec(5));

            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER);
                IntStream.of(2, 3, 4).forEach(ordinal -> cluster.down(cluster.member(ordinal)));
            });

            assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
            assertThat(status.leader()).isEmpty();
            assertThat(status.membersWithRole(Role.UNREACHABLE)).containsExactlyElementsOf(plan.members().subList(2, 5));
        }

        @Test
        @DisplayName("answers within one and a half deadlines when a member hangs, and reports it unreachable")
        void answersWithinTheDeadlineWhenAMemberHangs() {
            HaPlan plan = provider().plan(spec(3));
            // The provider's first call pays for class loading; that is not the hung member's delay. So a first
            // discovery warms up, a second one is timed, and four times its cost is the margin on a slow machine.
            discover(plan, DISCOVERY_BOUND, cluster -> answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER));
            long unhinderedStart = System.nanoTime();
            discover(plan, DISCOVERY_BOUND, cluster -> answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER));
            Duration fourUnhindered = Duration.ofNanos(System.nanoTime() - unhinderedStart).multipliedBy(4);
            Duration bound = DEADLINE.plus(fourUnhindered).compareTo(HUNG_MEMBER_BOUND) > 0
                    ? DEADLINE.plus(fourUnhindered) : HUNG_MEMBER_BOUND;

            LeaderStatus status = discover(plan, bound, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                cluster.hang(cluster.member(2));
            });

            assertThat(roleOf(status, 2)).isEqualTo(Role.UNREACHABLE);
            assertThat(status.leader()).contains(plan.members().get(0));
            assertThat(status.health()).isEqualTo(Health.DEGRADED);
        }

        @TestFactory
        @DisplayName("never takes garbage for a leader, and never throws on it")
        Stream<DynamicTest> neverTakesGarbageForALeader() {
            return garbage().entrySet().stream().map(garbage -> dynamicTest(garbage.getKey(), () -> {
                HaPlan plan = provider().plan(spec(3));

                LeaderStatus followersGarbled = discover(plan, DISCOVERY_BOUND, cluster -> {
                    answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                    cluster.garble(cluster.member(1), garbage.getValue());
                    cluster.garble(cluster.member(2), garbage.getValue());
                });
                LeaderStatus allGarbled = discover(plan, DISCOVERY_BOUND, cluster -> {
                    answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                    cluster.members().forEach(member -> cluster.garble(member, garbage.getValue()));
                });

                assertThat(followersGarbled.membersWithRole(Role.LEADER)).as("leaders among garbled followers")
                        .containsExactly(plan.members().get(0));
                assertThat(followersGarbled.leader()).as("leader among garbled followers")
                        .isIn(Optional.empty(), Optional.of(plan.members().get(0)));
                assertThat(allGarbled.membersWithRole(Role.LEADER)).as("leaders when every member is garbled").isEmpty();
                assertThat(allGarbled.leader()).as("leader when every member is garbled").isEmpty();
            }));
        }

        @Test
        @DisplayName("never takes a failed answer (HTTP 500, non-zero exit) for a leader, whatever it says")
        void neverTakesAFailedAnswerForALeader() {
            HaPlan plan = provider().plan(spec(3));

            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.LEADER);
                cluster.fail(cluster.member(2));
            });

            assertThat(roleOf(status, 2)).isNotEqualTo(Role.LEADER);
            assertThat(status.leader()).contains(plan.members().get(0));
        }

        @Test
        @DisplayName("names no leader when two members claim to lead")
        void namesNoLeaderWhenTwoMembersClaimToLead() {
            HaPlan plan = provider().plan(spec(3));

            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.LEADER);
            });

            assertThat(status.health()).isEqualTo(Health.UNKNOWN);
            assertThat(status.leader()).isEmpty();
            assertThat(status.membersWithRole(Role.LEADER))
                    .containsExactly(plan.members().get(0), plan.members().get(2));
        }

        private void answerAs(ScriptedCluster cluster, Role... roles) {
            for (Member member : cluster.members()) {
                impersonation().answerAs(member, roles[member.ordinal()], cluster);
            }
        }

        /**
         * Runs one discovery against a cluster scripted by {@code script} and fails unless it answers within
         * {@code bound}. Whatever happens, the cluster is closed (so a hanging request is released) and the
         * calling thread is gone before this returns.
         */
        private LeaderStatus discover(HaPlan plan, Duration bound, Consumer<ScriptedCluster> script) {
            HaSpec spec = spec(plan.members().size());
            ExecutorService caller = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "testkit-discovery");
                thread.setDaemon(true);
                return thread;
            });
            ScriptedCluster cluster = new ScriptedCluster(plan.members());
            try {
                script.accept(cluster);
                Future<LeaderStatus> answer = caller.submit(
                        () -> provider().leaderDiscovery(spec, cluster.access(DEADLINE)).discover());
                return answer.get(bound.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException tooSlow) {
                throw new AssertionError("discovery gave no answer within " + bound + " (per-call deadline "
                        + DEADLINE + ")", tooSlow);
            } catch (ExecutionException thrown) {
                throw new AssertionError("discovery threw instead of answering: " + thrown.getCause(), thrown.getCause());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for discovery", interrupted);
            } finally {
                cluster.close();
                caller.shutdownNow();
                awaitTermination(caller, bound);
            }
        }

        private static void awaitTermination(ExecutorService caller, Duration bound) {
            try {
                if (!caller.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("discovery still runs after its requests were released");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private static Role roleOf(LeaderStatus status, int ordinal) {
            return status.members().stream()
                    .filter(answer -> answer.member().ordinal() == ordinal)
                    .map(MemberAnswer::role)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no answer for member " + ordinal + ": " + status));
        }

        /** Answers no engine gives for its role, by name; random bytes come from fixed seeds, so runs repeat. */
        private static Map<String, String> garbage() {
            Map<String, String> garbage = new LinkedHashMap<>();
            garbage.put("an empty answer", "");
            garbage.put("an HTML error page", "<html><body><h1>502 Bad Gateway</h1></body></html>");
            garbage.put("truncated JSON", "{\"role\": ");
            garbage.put("control characters", "\u0000\u0001\u001b[2J\r\n\t\u2028");
            garbage.put("a long line", "x".repeat(1 << 16));
            for (long seed : new long[] {1, 2, 3}) {
                byte[] bytes = new byte[4096];
                new Random(seed).nextBytes(bytes);
                garbage.put("random bytes (seed " + seed + ")", new String(bytes, StandardCharsets.ISO_8859_1));
            }
            return garbage;
        }
    }

    /** Choosing the claims to delete with a runtime. */
    @Nested
    @DisplayName("Cleanup")
    class Cleanup {

        private final HaSpec owner = spec(JournalStorage.persistentVolume("10Gi"));

        @Test
        @DisplayName("selects every claim the runtime's StatefulSet made")
        void selectsEveryClaimTheRuntimesStatefulSetMade() {
            List<PersistentVolumeClaim> owned = ClaimFixtures.claimsOf(provider().plan(owner));

            CleanupPlan cleanup = provider().cleanup(owner, everyForeignClaimThen(owned));

            assertThat(owned).isNotEmpty();
            assertThat(cleanup.delete()).containsAll(owned);
        }

        @Test
        @DisplayName("selects the claims a scale-down left behind, up to the largest quorum a spec allows")
        void selectsTheClaimsAScaleDownLeftBehind() {
            HaPlan plan = provider().plan(owner);
            List<PersistentVolumeClaim> leftovers = ClaimFixtures.leftoverClaimsOf(plan);

            CleanupPlan cleanup = provider().cleanup(owner, everyForeignClaimThen(leftovers));

            assertThat(leftovers).isNotEmpty();
            assertThat(cleanup.delete()).containsAll(leftovers);
        }

        @Test
        @DisplayName("selects not one claim of another runtime, namespace or look-alike name")
        void selectsNotOneForeignClaim() {
            List<PersistentVolumeClaim> owned = ClaimFixtures.claimsOf(provider().plan(owner));
            SoftAssertions softly = new SoftAssertions();

            for (ClaimFixtures.ForeignClaims group : foreign()) {
                List<PersistentVolumeClaim> offered = new ArrayList<>(group.claims());
                offered.addAll(owned);

                CleanupPlan cleanup = provider().cleanup(owner, offered);

                softly.assertThat(cleanup.delete()).as("claims selected among %s", group.why())
                        .filteredOn(group.claims()::contains)
                        .extracting(claim -> claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName())
                        .isEmpty();
            }
            softly.assertAll();
        }

        @Test
        @DisplayName("accounts for every claim offered, keeping each other claim with a reason")
        void keepsEveryOtherClaimWithAReason() {
            List<PersistentVolumeClaim> offered = everyForeignClaimThen(ClaimFixtures.claimsOf(provider().plan(owner)));

            CleanupPlan cleanup = provider().cleanup(owner, offered);

            List<PersistentVolumeClaim> accounted = new ArrayList<>(cleanup.delete());
            cleanup.kept().forEach(kept -> accounted.add(kept.claim()));
            assertThat(accounted).containsExactlyInAnyOrderElementsOf(offered);
            assertThat(cleanup.kept()).allSatisfy(kept -> assertThat(kept.reason()).isNotBlank());
        }

        private List<ClaimFixtures.ForeignClaims> foreign() {
            HaPlan plan = provider().plan(owner);
            List<HaPlan> lookAlikes = ClaimFixtures.lookAlikeNames(plan, NAME).stream()
                    .map(name -> provider().plan(validSpec(name, NAMESPACE).journal(owner.journal()).build()))
                    .toList();
            return ClaimFixtures.foreignClaims(plan, lookAlikes);
        }

        /** Every foreign claim of every group, then {@code owned}: the claims of a crowded namespace. */
        private List<PersistentVolumeClaim> everyForeignClaimThen(List<PersistentVolumeClaim> owned) {
            List<PersistentVolumeClaim> offered = new ArrayList<>();
            foreign().forEach(group -> offered.addAll(group.claims()));
            offered.addAll(owned);
            return offered;
        }
    }
}
