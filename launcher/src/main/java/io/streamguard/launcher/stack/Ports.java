package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port helpers shared by the embedded broker and registry. */
final class Ports {
    static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /** How long a port must stay taken to count as in use (see {@link #requireFree}). */
    static final Duration TAKEN_FOR = Duration.ofMillis(500);

    /** Lowest port tried for a port 0; below it sit well-known and registered services. */
    static final int LOWEST = 10_000;

    /**
     * Returns {@code requested}, or a currently free loopback port when it is 0. Components that
     * must know their port before binding (the KRaft voter string, the registry's command line)
     * cannot use the OS's bind-to-0, so a port is chosen, released and bound again later. The port
     * comes from below the OS's ephemeral range: the OS's own bind-to-0 would hand out an ephemeral
     * port, which any outgoing connection on the machine (a Kafka client, say) can take as its local
     * port in that window, and the broker then fails to bind.
     */
    static int resolve(int requested, String what) {
        if (requested < 0 || requested > 65_535) {
            throw new IllegalArgumentException(what + " port out of range: " + requested);
        }
        if (requested != 0) {
            return requested;
        }
        int below = ephemeralLow();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; below > LOWEST && attempt < 100; attempt++) {
            int candidate = random.nextInt(LOWEST, below);
            if (isFree(candidate)) {
                return candidate;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort(); // no free port below the ephemeral range: take the OS's
        } catch (IOException e) {
            throw new LauncherException("could not find a free port for the " + what, e);
        }
    }

    /** The first port of the OS's ephemeral range (Linux's default 32768 where it cannot be read). */
    static int ephemeralLow() {
        try {
            // A reader, not Files.readString: /proc files report size 0, and readString returned "3" of "32768 60999".
            try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fails with a readable message when the port is taken, instead of a bind error deep in a
     * component.
     */
    static void requireFree(int port, String what) {
        // A free port can look taken for a moment: while another thread of this JVM forks a process (the stack
        // starts PostgreSQL's tools beside the broker), the child holds copies of the JVM's sockets, a probe's
        // among them, until it execs. Only a port that stays taken is in use.
        long deadline = System.nanoTime() + TAKEN_FOR.toNanos();
        while (!isFree(port) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!isFree(port)) {
            throw new LauncherException(what + " port " + LOOPBACK + ":" + port + " is already in use"
                    + " (another `streamguard up` running? pick another port with the options)");
        }
    }
}
