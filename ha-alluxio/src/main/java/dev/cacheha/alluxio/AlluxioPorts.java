package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container ports of an Alluxio master pod: Alluxio's defaults unless the spec overrides them by name.
 *
 * @param rpc master rpc ({@value #DEFAULT_RPC}); clients and workers connect here
 * @param web master web UI and REST API ({@value #DEFAULT_WEB}); leader discovery reads it
 * @param journal master embedded journal, the raft port ({@value #DEFAULT_JOURNAL})
 * @param jobRpc job master rpc ({@value #DEFAULT_JOB_RPC})
 * @param jobWeb job master web ({@value #DEFAULT_JOB_WEB})
 * @param jobJournal job master embedded journal ({@value #DEFAULT_JOB_JOURNAL})
 */
public record AlluxioPorts(int rpc, int web, int journal, int jobRpc, int jobWeb, int jobJournal) {

    /** Spec port name of {@link #rpc()}. */
    public static final String RPC = "rpc";
    /** Spec port name of {@link #web()}. */
    public static final String WEB = "web";
    /** Spec port name of {@link #journal()}. */
    public static final String JOURNAL = "journal";
    /** Spec port name of {@link #jobRpc()}. */
    public static final String JOB_RPC = "job-rpc";
    /** Spec port name of {@link #jobWeb()}. */
    public static final String JOB_WEB = "job-web";
    /** Spec port name of {@link #jobJournal()}. */
    public static final String JOB_JOURNAL = "job-journal";

    /** Every port name a spec may override, in the order the plan lists the ports. */
    public static final List<String> NAMES = List.of(RPC, WEB, JOURNAL, JOB_RPC, JOB_WEB, JOB_JOURNAL);

    static final int DEFAULT_RPC = 19998;
    static final int DEFAULT_WEB = 19999;
    static final int DEFAULT_JOURNAL = 19200;
    static final int DEFAULT_JOB_RPC = 20001;
    static final int DEFAULT_JOB_WEB = 20002;
    static final int DEFAULT_JOB_JOURNAL = 20003;

    /** Every port by its spec name with Alluxio's default, in the order of {@link #NAMES}. */
    static final Map<String, Integer> DEFAULTS = new AlluxioPorts(DEFAULT_RPC, DEFAULT_WEB, DEFAULT_JOURNAL,
            DEFAULT_JOB_RPC, DEFAULT_JOB_WEB, DEFAULT_JOB_JOURNAL).byName();

    /** The ports of {@code spec}'s masters. */
    public static AlluxioPorts of(HaSpec spec) {
        return new AlluxioPorts(
                spec.port(RPC, DEFAULT_RPC),
                spec.port(WEB, DEFAULT_WEB),
                spec.port(JOURNAL, DEFAULT_JOURNAL),
                spec.port(JOB_RPC, DEFAULT_JOB_RPC),
                spec.port(JOB_WEB, DEFAULT_JOB_WEB),
                spec.port(JOB_JOURNAL, DEFAULT_JOB_JOURNAL));
    }

    /** The ports in the order of {@link #NAMES}. */
    public List<Integer> inNameOrder() {
        return List.of(rpc, web, journal, jobRpc, jobWeb, jobJournal);
    }

    /** Each port by its name, in the order of {@link #NAMES}: the named ports of the container and Service. */
    public Map<String, Integer> byName() {
        Map<String, Integer> named = new LinkedHashMap<>();
        List<Integer> numbers = inNameOrder();
        for (int i = 0; i < NAMES.size(); i++) {
            named.put(NAMES.get(i), numbers.get(i));
        }
        return Collections.unmodifiableMap(named);
    }
}
