import Foundation

/// The commands a repository defines for itself: package.json scripts, Makefile and justfile
/// targets, mise and Taskfile tasks. A command template may quote one of these after a single
/// successful run; other commands must be seen working in two sessions.
public struct RepoCommands: Sendable, Equatable {
    public var packageScripts: Set<String> = []
    public var makeTargets: Set<String> = []
    public var justRecipes: Set<String> = []
    public var miseTasks: Set<String> = []
    public var taskfileTasks: Set<String> = []

    public init() {}

    /// Reads the files at the top of `root` (missing or malformed files define nothing).
    public static func read(root: String) -> RepoCommands {
        var r = RepoCommands()
        func text(_ name: String) -> String? {
            let path = root + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                  let attrs = try? FileManager.default.attributesOfItem(atPath: path),
                  (attrs[.type] as? FileAttributeType) != .typeSymbolicLink,
                  let data = FileManager.default.contents(atPath: path), data.count < 1_000_000 else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        if let pkg = text("package.json"), let obj = try? JSONSerialization.jsonObject(with: Data(pkg.utf8)) as? [String: Any],
           let scripts = obj["scripts"] as? [String: Any] {
            r.packageScripts = Set(scripts.keys)
        }
        for name in ["Makefile", "makefile", "GNUmakefile"] {
            guard let mk = text(name) else { continue }
            r.makeTargets.formUnion(targets(mk, recipeLine: { !$0.hasPrefix("\t") && !$0.hasPrefix(" ") && !$0.hasPrefix(".") }))
        }
        for name in ["justfile", "Justfile", ".justfile"] {
            guard let j = text(name) else { continue }
            r.justRecipes.formUnion(targets(j, recipeLine: { !$0.hasPrefix(" ") && !$0.hasPrefix("\t") && !$0.hasPrefix("set ") }))
        }
        for name in ["mise.toml", ".mise.toml"] {
            guard let m = text(name) else { continue }
            for line in m.split(separator: "\n") {
                let t = String(line).trimmingWhitespace()
                if t.hasPrefix("[tasks."), t.hasSuffix("]") {
                    r.miseTasks.insert(String(t.dropFirst(7).dropLast()).trimmed(of: "\"'"))
                }
            }
        }
        for name in ["Taskfile.yml", "Taskfile.yaml"] {
            guard let t = text(name) else { continue }
            var inTasks = false
            for line in t.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("tasks:") { inTasks = true; continue }
                if inTasks, let f = line.first, f != " " { inTasks = false }
                if inTasks, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                    r.taskfileTasks.insert(String(line.dropLast()).trimmingWhitespace())
                }
            }
        }
        return r
    }

    /// `name:` / `name arg:` target lines (not variable assignments `x := y`).
    static func targets(_ text: String, recipeLine: (Substring) -> Bool) -> Set<String> {
        var out = Set<String>()
        for line in text.split(separator: "\n") where recipeLine(line) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let after = line[line.index(after: colon)...]
            if after.hasPrefix("=") { continue }
            let head = line[..<colon]
            for name in head.split(separator: " ") {
                let n = String(name).trimmed(of: "@")
                if !n.isEmpty, n.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !n.contains("%") {
                    out.insert(n)
                    break  // just: the first word is the recipe, the rest its parameters
                }
            }
        }
        return out
    }

    /// True when `part` runs a command the repository defines.
    func defines(_ part: ShellCommand.Part) -> Bool {
        let sub = part.subcommand?.split(separator: " ").map(String.init) ?? []
        let name = sub.count == 2 && ["run", "run-script"].contains(sub[0]) ? sub[1] : sub.first ?? ""
        switch part.program {
        case "npm", "pnpm", "yarn", "bun": return packageScripts.contains(name)
        case "make": return makeTargets.contains(name)
        case "just": return justRecipes.contains(name)
        case "mise": return miseTasks.contains(name)
        case "task": return taskfileTasks.contains(name)
        default: return false
        }
    }
}
