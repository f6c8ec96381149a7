package dev.cacheha.examples.benchmarks.alluxioprobe;

import alluxio.conf.AlluxioConfiguration;
import alluxio.conf.Configuration;
import alluxio.exception.status.UnavailableException;
import alluxio.master.MasterInquireClient;
import alluxio.security.user.UserState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * Asks Alluxio's own client which master is primary, again and again, and prints a line each time the answer
 * changes: {@code primary <host>:<port>} (an rpc address), or {@code primary none} when the client gave up.
 *
 * <p>The client is built exactly as Alluxio's file system client builds it: {@link MasterInquireClient.Factory}
 * from the configuration, which for several {@code alluxio.master.rpc.addresses} is a
 * {@code PollingMasterInquireClient} with Alluxio's default retry policy. The parent sets the addresses as a
 * system property and reads the lines as they come, so the time of a change is the time the parent reads it.
 *
 * <p>Runs in a child JVM on Alluxio's classpath only. Exits when its standard input closes, so it never
 * outlives the benchmark that started it.
 *
 * <p>Usage: {@code PrimaryMasterWatch <pause between polls in ms>}.
 */
public final class PrimaryMasterWatch {

    private PrimaryMasterWatch() {}

    /** Prints {@code ready <client class>}, then every change of the primary, until standard input closes. */
    public static void main(String[] args) throws InterruptedException {
        long pauseMillis = Long.parseLong(args[0]);
        exitWhenParentGoes(System.in);
        AlluxioConfiguration configuration = Configuration.global();
        MasterInquireClient client = MasterInquireClient.Factory.create(configuration,
                UserState.Factory.create(configuration));
        System.out.println("ready " + client.getClass().getName());
        String last = "";
        while (true) {
            String primary = primary(client);
            if (!primary.equals(last)) {
                System.out.println("primary " + primary);
                last = primary;
            }
            Thread.sleep(pauseMillis);
        }
    }

    private static String primary(MasterInquireClient client) {
        try {
            InetSocketAddress address = client.getPrimaryRpcAddress();
            return address.getHostString() + ":" + address.getPort();
        } catch (UnavailableException noPrimary) {
            return "none";
        }
    }

    private static void exitWhenParentGoes(InputStream parent) {
        Thread watch = new Thread(() -> {
            try {
                while (parent.read() >= 0) {
                    // The parent never writes; reading only waits for the pipe to close.
                }
            } catch (IOException closed) {
                // A broken pipe means the parent is gone, as end of input does.
            }
            System.exit(0);
        }, "exit-with-parent");
        watch.setDaemon(true);
        watch.start();
    }
}
