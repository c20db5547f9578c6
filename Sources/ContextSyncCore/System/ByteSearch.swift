#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Substring search over UTF-8 bytes, for hot paths (error classification, path normalisation,
/// digest markers) where Foundation's `contains` goes through a UTF-16 bridge.
///
/// Byte-exact for ASCII needles, which is all the hot paths ask for; a non-ASCII needle falls
/// back to Foundation, whose canonical-equivalence matching it keeps. An empty needle is never
/// contained, as with Foundation. For an ASCII needle the two differ only on the rare characters
/// canonically equivalent to ASCII (U+212A KELVIN SIGN, U+037E, U+1FEF), which Foundation matches
/// and this does not; used as a guard before a Foundation `replacingOccurrences`, a byte match
/// is what such a replacement needs anyway.
enum ByteSearch {
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var n = needle
        let ascii = n.withUTF8 { nb in nb.allSatisfy { $0 < 0x80 } }
        var h = haystack
        guard ascii else {
            // Plain ASCII holds no canonical equivalent of a non-ASCII needle unless the needle
            // has one of the three characters equivalent to ASCII.
            if TextBytes.isPlainASCII(haystack) && !needle.unicodeScalars.contains(where: TextBytes.asciiEquivalents.contains) {
                return false
            }
            return haystack.contains(needle)
        }
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                guard nb.count > 0, hb.count >= nb.count, let hp = hb.baseAddress, let np = nb.baseAddress else { return false }
                return find(UnsafeRawPointer(hp), hb.count, UnsafeRawPointer(np), nb.count)
            }
        }
    }

    /// A needle prepared once for many searches: its bytes and the offset of its least common
    /// byte (the memchr anchor), so a search does no per-call set-up.
    struct Needle: Sendable {
        let text: String
        let bytes: [UInt8]
        let ascii: Bool
        let anchor: Int

        init(_ text: String) {
            self.text = text
            bytes = Array(text.utf8)
            ascii = bytes.allSatisfy { $0 < 0x80 }
            anchor = ByteSearch.anchor(of: bytes)
        }

        /// The offset of the first occurrence of the needle's bytes in `b` at or after `from`.
        func offset(in b: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
            guard !bytes.isEmpty, from >= 0, b.count - from >= bytes.count, let base = b.baseAddress else { return nil }
            return bytes.withUnsafeBytes { n in
                firstOffset(UnsafeRawPointer(base + from), b.count - from, n.baseAddress!, n.count, anchor: anchor).map { $0 + from }
            }
        }
    }

    /// Whether any of `needles` occurs in `haystack` (the answers of `contains(haystack, $0.text)`;
    /// the haystack's bytes taken once).
    static func containsAny(_ haystack: String, _ needles: [Needle]) -> Bool {
        var h = haystack
        return h.withUTF8 { hb in
            needles.contains { $0.ascii ? $0.offset(in: hb) != nil : contains(haystack, $0.text) }
        }
    }

    /// memchr for the first byte, memcmp for the rest (glibc's memmem is not exported to Swift).
    static func find(_ h: UnsafeRawPointer, _ hCount: Int, _ n: UnsafeRawPointer, _ nCount: Int) -> Bool {
        firstOffset(h, hCount, n, nCount) != nil
    }

    static func contains(_ haystack: Substring, _ needle: String) -> Bool {
        contains(String(haystack), needle)
    }

    /// The first occurrence of the bytes of `needle` in `haystack`; Foundation for a non-ASCII
    /// needle or a haystack without contiguous UTF-8. Foundation's `range(of:)` finds the same
    /// except where the match is joined to a neighbour (a combining mark right after it, which
    /// Foundation will not split) or holds one of the three characters in the type's note.
    static func range(of needle: String, in haystack: Substring) -> Range<String.Index>? {
        let nb = Array(needle.utf8)
        guard !nb.isEmpty, nb.allSatisfy({ $0 < 0x80 }) else { return haystack.range(of: needle) }
        let found: Int?? = haystack.utf8.withContiguousStorageIfAvailable { hb -> Int? in
            guard hb.count >= nb.count, let hp = hb.baseAddress else { return nil }
            return nb.withUnsafeBytes { firstOffset(UnsafeRawPointer(hp), hb.count, $0.baseAddress!, nb.count) }
        }
        guard let offset = found else { return haystack.range(of: needle) }
        guard let k = offset else { return nil }
        let lower = haystack.utf8.index(haystack.startIndex, offsetBy: k)
        return lower..<haystack.utf8.index(lower, offsetBy: nb.count)
    }

    static func range(of needle: String, in haystack: String) -> Range<String.Index>? {
        range(of: needle, in: haystack[...])
    }

    /// The offsets of the occurrences of `needle` in `haystack`, left to right, not overlapping.
    static func offsets(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count, let base = haystack.baseAddress else { return [] }
        var out: [Int] = []
        needle.withUnsafeBytes { n in
            var i = 0
            while i <= haystack.count - needle.count,
                  let k = firstOffset(UnsafeRawPointer(base + i), haystack.count - i, n.baseAddress!, needle.count) {
                out.append(i + k)
                i += k + needle.count
            }
        }
        return out
    }

    /// The offset of the first occurrence of `n` in `h`: memchr for the needle's least common
    /// byte (by `rarity`), memcmp at each place it occurs.
    static func firstOffset(_ h: UnsafeRawPointer, _ hCount: Int, _ n: UnsafeRawPointer, _ nCount: Int) -> Int? {
        guard nCount > 0, hCount >= nCount else { return nil }
        return firstOffset(h, hCount, n, nCount, anchor: anchor(of: UnsafeRawBufferPointer(start: n, count: nCount)))
    }

    /// The offset in `needle` of its least common byte (by `rarity`; the first of equals).
    static func anchor<C: Collection>(of needle: C) -> Int where C.Element == UInt8 {
        var a = 0
        var best = UInt8.max
        for (k, c) in needle.enumerated() {
            let r = rarity[Int(c)]
            if r < best { best = r; a = k }
        }
        return a
    }

    /// `firstOffset` with the anchor offset `a` already chosen.
    static func firstOffset(_ h: UnsafeRawPointer, _ hCount: Int, _ n: UnsafeRawPointer, _ nCount: Int, anchor a: Int) -> Int? {
        guard nCount > 0, hCount >= nCount else { return nil }
        let anchor = Int32(n.load(fromByteOffset: a, as: UInt8.self))
        let last = hCount - nCount
        var i = 0
        while i <= last {
            guard let p = memchr(h + i + a, anchor, last - i + 1) else { return nil }
            let j = h.distance(to: UnsafeRawPointer(p)) - a
            if memcmp(h + j, n, nCount) == 0 { return j }
            i = j + 1
        }
        return nil
    }

    /// How common a byte is in transcripts (tool output, code, prose, JSON): the position in a
    /// list from most to least common, 0 for bytes not listed (the rarest). Only the order matters.
    static let rarity: [UInt8] = {
        let common = Array(" etaoinsrlcdhupm\n\"fg.y/b,w_:-=()vkx0123TSAEIRNCOPLMD'><[]{};|#$*+&@!?".utf8)
        var r = [UInt8](repeating: 0, count: 256)
        for (i, c) in common.enumerated() where r[Int(c)] == 0 { r[Int(c)] = UInt8(common.count - i) }
        return r
    }()
}
