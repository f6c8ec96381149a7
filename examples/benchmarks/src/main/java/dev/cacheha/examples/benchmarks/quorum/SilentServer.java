package dev.cacheha.examples.benchmarks.quorum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server that accepts every connection and never sends a byte: a member whose process hangs while its
 * kernel still completes handshakes. It holds every accepted socket open until {@link #close()}.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentServer(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptForever, "silent-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Listens on {@code host}:{@code port}.
     *
     * @throws UncheckedIOException if the port cannot be bound (for example while its last owner still holds it)
     */
    public static SilentServer listen(String host, int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
            return new SilentServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** How many connections it accepted so far. */
    public int acceptedConnections() {
        return accepted.size();
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                accepted.add(server.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Stops listening and closes every accepted connection. */
    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
            acceptor.join(1000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the silent server on port " + server.getLocalPort(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
