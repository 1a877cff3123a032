// What a child started by the fork server or by spawn is told, and how it runs.
//
// Wire format on the unix stream socket between requester and server (or spawned child): a frame is an 8-byte
// little-endian length and that many bytes of `BinaryEncoder` output; the descriptors of the shared objects in
// the argument ride on the frame's first byte (SCM_RIGHTS). A request frame carries a `ChildRequest`; the answer
// is a `ChildReply` frame: the child's pid, or why it was refused (an unknown function, for instance), so that
// `Process.start()` throws instead of a child failing later.

import CShim

import Glibc

/// A child to start: the function to run, its encoded argument, and who the child is.
struct ChildRequest: Codable {
    var function: String
    var argument: [UInt8]
    var name: String
    var identity: [Int]
    var daemon: Bool
    var diesWithParent: Bool
    var parentPID: Int32
    var parentName: String
}

/// The answer to a `ChildRequest`.
enum ChildReply: Codable {
    case started(pid: Int32)
    case refused(String)
}

/// Frames on a unix stream socket.
enum ChildChannel {
    /// Sends one frame with `descriptors` attached.
    static func send<Value: Encodable>(_ value: Value, descriptors: [Int32] = [], on socket: Int32) throws {
        let payload = try BinaryEncoder().encode(value)
        var frame = [UInt8](repeating: 0, count: 8)
        var length = UInt64(payload.count).littleEndian
        frame.withUnsafeMutableBytes { target in withUnsafeBytes(of: &length) { target.copyMemory(from: $0) } }
        frame += payload
        let rc = frame.withUnsafeBytes { bytes in
            descriptors.withUnsafeBufferPointer { fds in
                cshim_socket_send_with_fds(socket, bytes.baseAddress!, bytes.count, fds.baseAddress, Int32(fds.count))
            }
        }
        if rc != 0 { throw SystemError(operation: "sendmsg(child request)", errno: errno) }
    }

    /// Receives one frame and its descriptors; nil when the peer closed the socket first.
    static func receive<Value: Decodable>(_ type: Value.Type, on socket: Int32) throws -> (Value, [Int32])? {
        var header = [UInt8](repeating: 0, count: 8)
        var fds = [Int32](repeating: -1, count: Int(CSHIM_MAX_PASSED_FDS))
        var count: Int32 = 0
        let rc = header.withUnsafeMutableBytes { bytes in
            fds.withUnsafeMutableBufferPointer {
                cshim_socket_recv_with_fds(socket, bytes.baseAddress!, 8, $0.baseAddress!, Int32($0.count), &count)
            }
        }
        if rc == -2 { return nil }
        if rc != 0 { throw SystemError(operation: "recvmsg(child request)", errno: errno) }
        let descriptors = Array(fds.prefix(Int(count)))
        do {
            let length = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            guard length > 0, length < 1 << 40 else {
                throw SystemError(operation: "child request", errno: EPROTO, hint: "a frame of \(length) bytes")
            }
            var payload = [UInt8](repeating: 0, count: Int(length))
            var none: Int32 = 0
            var ignored: Int32 = -1
            let rc = payload.withUnsafeMutableBytes {
                cshim_socket_recv_with_fds(socket, $0.baseAddress!, $0.count, &ignored, 0, &none)
            }
            if rc != 0 {
                throw SystemError(operation: "recvmsg(child request)", errno: rc == -2 ? ECONNRESET : errno)
            }
            return (try BinaryDecoder().decode(type, from: payload), descriptors)
        } catch {
            for fd in descriptors { closeDescriptor(fd) }
            throw error
        }
    }
}

/// Runs a requested child: becomes the process it names, runs its function on its argument (rebuilding the
/// shared objects from `descriptors`), and exits with CPython's exit code. Never returns.
func runRequestedChild(_ request: ChildRequest, descriptors: [Int32]) -> Never {
    ProcessTable.shared.becomeChild(identity: request.identity, name: request.name, daemon: request.daemon,
                                    parent: ParentProcess(name: request.parentName, pid: request.parentPID))
    ForkServer.forgetInherited()
    _ = cshim_stdin_to_devnull()
    if request.diesWithParent { _ = cshim_set_parent_death_signal(SIGKILL, request.parentPID) }
    var code: Int32 = 0
    do {
        _ = try DescriptorTransfer.receiving(descriptors) {
            try FunctionRegistry.call(request.function, argument: request.argument)
        }
    } catch let exit as ProcessExit {
        code = exit.code
    } catch {
        writeStandardError("Process \(request.name):\n\(error)\n")
        code = 1
    }
    ProcessTable.shared.cleanUpChildren()
    fflush(nil)
    _exit(code)
}

/// Why `function` cannot run in this process, or nil if it can.
func refusal(for request: ChildRequest) -> String? {
    FunctionRegistry.contains(request.function) ? nil : RemoteFunctionError.unknownFunction(request.function).description
}
