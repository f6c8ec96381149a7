import alluxio.AlluxioURI;
import alluxio.client.file.FileSystem;
import alluxio.conf.Configuration;
import alluxio.exception.FileAlreadyExistsException;
import alluxio.grpc.CreateDirectoryPOptions;
import alluxio.grpc.CreateFilePOptions;
import alluxio.grpc.WritePType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates empty files {@code <directory>/file-<i>} through Alluxio's own client, many at a time, in one JVM: a
 * CLI call per file would cost a JVM start each. Run by LocalAlluxioQuorum#createFiles as a single-file source
 * program on Alluxio's classpath, so no Alluxio class is compiled into cache-ha. A file that already exists is
 * counted as created, so a failed run can simply be run again.
 *
 * <p>Files are written MUST_CACHE: Alluxio's default, ASYNC_THROUGH, schedules a persist job per file on the job
 * master, which the local quorum does not run, and the master's persistence scheduler then holds the state lock
 * that a backup waits for (seen: a backup stuck "Initiating" for ten minutes).
 *
 * <p>Usage: {@code AlluxioFileBatch <directory> <count> <threads>}; prints {@code created <n>}.
 */
public final class AlluxioFileBatch {

    public static void main(String[] args) throws Exception {
        String directory = args[0];
        int count = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        AtomicInteger created = new AtomicInteger();
        CreateFilePOptions cacheOnly = CreateFilePOptions.newBuilder().setWriteType(WritePType.MUST_CACHE).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FileSystem fs = FileSystem.Factory.create(Configuration.global())) {
            fs.createDirectory(new AlluxioURI(directory),
                    CreateDirectoryPOptions.newBuilder().setRecursive(true).setAllowExists(true).build());
            List<Future<?>> files = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                AlluxioURI file = new AlluxioURI(directory + "/file-" + i);
                files.add(pool.submit(() -> {
                    try {
                        fs.createFile(file, cacheOnly).close();
                    } catch (FileAlreadyExistsException existing) {
                        // Created by an earlier run: what the caller wants is the file, not the call.
                    }
                    created.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> file : files) {
                file.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("created " + created.get());
    }
}
