#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks an ssh-agent which keys it holds (SSH agent protocol: SSH_AGENTC_REQUEST_IDENTITIES),
/// reporting only their types: never key material, never comments.
public enum SSHAgentProbe {
    public enum Result: Equatable, Sendable {
        /// The agent answered; the key type of each identity, in its order.
        case keys([String])
        /// Nothing listens on the socket (libgit2 1.5.1 would fail the whole push with it set).
        case noAnswer
        /// Something listens but did not speak the agent protocol in time.
        case badReply
    }

    static let requestIdentities: UInt8 = 11
    static let identitiesAnswer: UInt8 = 12

    /// Queries the agent at `socketPath`, waiting at most `timeout` seconds for each read.
    public static func query(socketPath: String, timeout: Double = 2) -> Result {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM_VALUE), 0)
        guard fd >= 0 else { return .noAnswer }
        defer { close(fd) }
        var tv = timeval()
        tv.tv_sec = .init(timeout)
        tv.tv_usec = .init((timeout - timeout.rounded(.down)) * 1_000_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return .noAnswer }
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in bytes.enumerated() { buf[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { return .noAnswer }
        guard writeAll(fd, [0, 0, 0, 1, requestIdentities]),
              let header = readExactly(fd, 4) else { return .badReply }
        let length = Int(readUInt32(header, 0))
        guard length >= 1, length <= 1 << 20, let body = readExactly(fd, length), body[0] == identitiesAnswer else {
            return .badReply
        }
        return parseIdentities(Array(body.dropFirst())).map(Result.keys) ?? .badReply
    }

    /// The key types in an identities answer body (after the message byte): `uint32 n`, then n
    /// times `string key_blob, string comment`; a key blob starts with `string key_type`.
    static func parseIdentities(_ b: [UInt8]) -> [String]? {
        guard b.count >= 4 else { return nil }
        let n = Int(readUInt32(b, 0))
        var at = 4
        var types: [String] = []
        for _ in 0..<min(n, 1000) {
            guard let blob = readString(b, &at), readString(b, &at) != nil else { return nil }
            var inner = 0
            guard let type = readString(blob, &inner) else { return nil }
            types.append(String(decoding: type, as: UTF8.self))
        }
        return types
    }

    static func readString(_ b: [UInt8], _ at: inout Int) -> [UInt8]? {
        guard at + 4 <= b.count else { return nil }
        let len = Int(readUInt32(b, at))
        guard at + 4 + len <= b.count else { return nil }
        defer { at += 4 + len }
        return Array(b[(at + 4)..<(at + 4 + len)])
    }

    static func readUInt32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL_VALUE)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            off += n
        }
        return true
    }

    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var off = 0
        while off < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + off, count - off, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            off += n
        }
        return out
    }
}

#if canImport(Glibc)
private let SOCK_STREAM_VALUE = SOCK_STREAM.rawValue
private let MSG_NOSIGNAL_VALUE = MSG_NOSIGNAL
#else
private let SOCK_STREAM_VALUE = SOCK_STREAM
private let MSG_NOSIGNAL_VALUE: Int32 = 0
#endif
