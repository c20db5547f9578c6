/// Builds fake credentials from the published formats: a prefix plus deterministic
/// pseudo-random characters. Nothing here is a real key, and prefixes are always built by
/// concatenation in the tests so that no whole token literal appears in the source.
enum Fake {
    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    static let lower = "abcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
    static let alnum = upper + lower + digits
    static let upperAlnum = upper + digits
    static let lowerAlnum = lower + digits
    static let lowerHex = "0123456789abcdef"
    static let base64 = alnum + "+/"
    static let base64url = alnum + "-_"
    static let bech32Upper = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"

    /// `count` characters of `charset`, from a seeded xorshift generator.
    static func chars(_ charset: String, _ count: Int, seed: UInt64 = 1) -> String {
        let alphabet = Array(charset)
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var out = ""
        for _ in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out.append(alphabet[Int(state % UInt64(alphabet.count))])
        }
        return out
    }

    static func alnum(_ n: Int, _ seed: UInt64 = 1) -> String { chars(alnum, n, seed: seed) }
    static func hex(_ n: Int, _ seed: UInt64 = 1) -> String { chars(lowerHex, n, seed: seed) }
    static func b64(_ n: Int, _ seed: UInt64 = 1) -> String { chars(base64, n, seed: seed) }
    static func b64url(_ n: Int, _ seed: UInt64 = 1) -> String { chars(base64url, n, seed: seed) }

    /// base64 of `s` (standard alphabet, padded).
    static func base64Encode(_ s: String) -> String {
        let table = Array(base64)
        let bytes = Array(s.utf8)
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(v >> 18 & 63)])
            out.append(table[Int(v >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(v >> 6 & 63)] : "=")
            out.append(i + 2 < bytes.count ? table[Int(v & 63)] : "=")
            i += 3
        }
        return out
    }

    /// base64url without padding.
    static func base64URLEncode(_ s: String) -> String {
        String(base64Encode(s).map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 }.filter { $0 != "=" })
    }

    /// A JWT-shaped token with the given claims and a fake signature.
    static func jwt(_ payload: String = #"{"sub":"1234","name":"Test User","iat":1700000000}"#, seed: UInt64 = 1) -> String {
        base64URLEncode(#"{"alg":"HS256","typ":"JWT"}"#) + "." + base64URLEncode(payload) + "." + b64url(43, seed)
    }

    /// A PEM block of the given label with a fake base64 body of `lines` 64-char lines.
    static func pem(_ label: String = "RSA PRIVATE KEY", lines: Int = 6, seed: UInt64 = 1, newline: String = "\n") -> String {
        var s = "-----" + "BEGIN " + label + "-----" + newline
        for l in 0..<lines { s += chars(alnum + "+/", 64, seed: seed &+ UInt64(l)) + newline }
        s += chars(alnum, 20, seed: seed &+ 99) + "==" + newline
        s += "-----END " + label + "-----"
        return s
    }
}
