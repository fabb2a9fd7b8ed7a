package io.streamguard.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers shared by the embedded broker and registry. */
final class Ports {
    static final String LOOPBACK = "127.0.0.1";

    private Ports() {}

    /**
     * Returns {@code requested}, or a currently free loopback port when it is 0. Components that
     * must know their port before binding (the KRaft voter string, the registry's command line)
     * cannot use the OS's bind-to-0, so this leaves a tiny window in which another process could
     * take the port.
     */
    static int resolve(int requested, String what) {
        if (requested < 0 || requested > 65_535) {
            throw new IllegalArgumentException(what + " port out of range: " + requested);
        }
        if (requested != 0) {
            return requested;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LauncherException("could not find a free port for the " + what, e);
        }
    }

    /**
     * Fails with a readable message when the port is taken, instead of a bind error deep in a
     * component.
     */
    static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
        } catch (IOException e) {
            throw new LauncherException(
                    what
                            + " port "
                            + LOOPBACK
                            + ":"
                            + port
                            + " is already in use"
                            + " (another `streamguard up` running? pick another port with the options)");
        }
    }
}
