// multiprocessing.connection's Listener and Client against CPython on the other end of the socket: the wire format
// (length-prefixed pickles) and the authkey challenge (HMAC) must be CPython's, so a python3 client talks to an
// mpsh Listener and an mpsh client to a python3 Listener. The server program below runs under python3 and under
// mpsh, its peers are always python3 (started by the server with subprocess), and the two runs must print the
// same: a wrong authkey, a garbage message and a peer that disconnects mid-message each give CPython's error, and
// the server goes on serving the next client.
import Foundation
import TestSupport
import XCTest

final class ListenerInteropTests: XCTestCase {
    override class func tearDown() { removeTempPrograms() }

    static let server = """
        import subprocess, sys
        from multiprocessing.connection import Listener, AuthenticationError

        PEERS = {
            "good": '''
        import sys
        from multiprocessing.connection import Client
        with Client(("127.0.0.1", int(sys.argv[1])), authkey=b"shared") as c:
            c.send({"from": "python3", "n": [1, 2, 3]})
            print("peer got", c.recv(), flush=True)
        ''',
            "wrong key": '''
        import sys
        from multiprocessing.connection import Client, AuthenticationError
        try:
            Client(("127.0.0.1", int(sys.argv[1])), authkey=b"other")
        except AuthenticationError as e:
            print("peer:", type(e).__name__, e, flush=True)
        ''',
            "garbage": '''
        import socket, struct, sys
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.recv(64)
        s.sendall(struct.pack("!i", 4096) + b"x" * 4096)
        try:
            s.recv(64)
        except OSError:
            pass
        s.close()
        ''',
            "cut": '''
        import socket, struct, sys
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.recv(64)
        s.sendall(struct.pack("!i", 16) + b"abc")
        s.close()
        ''',
        }

        with Listener(("127.0.0.1", 0), authkey=b"shared") as listener:
            port = str(listener.address[1])
            for name in ["wrong key", "garbage", "cut", "good"]:
                peer = subprocess.Popen(["python3", "-c", PEERS[name], port])
                try:
                    with listener.accept() as conn:
                        line = "%s served: %s" % (name, conn.recv())
                        conn.send("welcome")
                except (AuthenticationError, OSError, EOFError) as e:
                    line = "%s refused: %s %s" % (name, type(e).__name__, e)
                code = peer.wait(30)   # the peer's own line first
                print(line)
                print(name, "peer exit:", code, flush=True)
        """

    func testMpshListenerServesCPythonClients() throws {
        try skipUnlessBinding()
        let path = try tempProgram("listener_server.py", Self.server)
        let py = try runChild(["python3", path], limit: 60)
        XCTAssertEqual(py.status, 0, py.error)
        let mp = try runMpsh([path])
        XCTAssertEqual(mp.status, 0, mp.stderr)
        XCTAssertEqual(mp.stdout, py.output)
        for expected in ["wrong key refused: AuthenticationError digest received was wrong",
                         "peer: AuthenticationError digest sent was rejected",
                         "garbage refused: OSError bad message length",
                         "cut refused: OSError got end of file during message",
                         "good served: {'from': 'python3', 'n': [1, 2, 3]}", "peer got welcome"] {
            XCTAssertTrue(mp.stdout.contains(expected), "missing '\(expected)' in:\n\(mp.stdout)")
        }
    }

    /// The other way round: a python3 Listener, mpsh clients (the right key, then a wrong one).
    func testMpshClientTalksToCPythonListener() throws {
        try skipUnlessBinding()
        let client = try tempProgram("listener_client.py", """
            import sys
            from multiprocessing.connection import Client, AuthenticationError
            key = sys.argv[2].encode()
            try:
                with Client(("127.0.0.1", int(sys.argv[1])), authkey=key) as c:
                    c.send(("mpsh", 3.5, b"bytes", None))
                    print("client got", c.recv())
            except AuthenticationError as e:
                print("client:", type(e).__name__, e)
            """)
        let server = try tempProgram("cpython_listener.py", """
            import subprocess, sys
            from multiprocessing.connection import Listener, AuthenticationError
            with Listener(("127.0.0.1", 0), authkey=b"shared") as listener:
                port = str(listener.address[1])
                for key in ["shared", "wrong"]:
                    peer = subprocess.Popen([sys.argv[1], sys.argv[2], "--", port, key])   # mpsh FILE -- ARGS
                    try:
                        with listener.accept() as conn:
                            print("served:", conn.recv(), flush=True)
                            conn.send({"ok": True})
                    except AuthenticationError as e:
                        print("refused:", e, flush=True)
                    peer.wait(30)
            """)
        let run = try runChild(["python3", server, try mpshBinary(), client], limit: 60)
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertEqual(run.output, """
            served: ('mpsh', 3.5, b'bytes', None)
            client got {'ok': True}
            refused: digest received was wrong
            client: AuthenticationError digest sent was rejected

            """)
    }

    /// A Unix-socket Listener without an address: a socket of mode 0600 in a private directory (0700) that only
    /// this user can reach (CPython's follows the umask), removed on close.
    func testUnixListenerIsPrivate() throws {
        try skipUnlessBinding()
        let run = try runMpsh(["-c", """
            import os
            from multiprocessing.connection import Listener
            with Listener() as l:
                a = l.address
                print(oct(os.stat(a).st_mode & 0o777), oct(os.stat(os.path.dirname(a)).st_mode & 0o777))
            print(os.path.exists(a))
            """])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "0o600 0o700\nFalse\n")
    }
}
