/// A generated file: a Read shows a header that says the file is generated ("DO NOT EDIT",
/// "@generated"), and later in the session a generator command runs and works. The rule: edit the
/// source and run the generator, do not edit the file. Both halves are required (the header alone
/// does not say how the file is made; a generator run alone does not say which file it makes).
enum GeneratedFiles {
    /// Programs that only generate code.
    static let generators: Set<String> = ["protoc", "buf", "sqlc", "oapi-codegen", "openapi-generator", "openapi-generator-cli",
                                          "swagger-codegen", "graphql-codegen", "mockgen", "stringer", "bindgen", "flatc",
                                          "thrift", "wire", "gqlgen", "swiftgen", "sourcery", "quicktype", "jooq-codegen", "templ"]
    /// Subcommand or script words that name generation (`go generate`, `npm run codegen`, `make gen`).
    static let generateWords: Set<String> = ["generate", "gen", "codegen", "regen", "regenerate", "generate:types", "gen:types"]

    static func isGenerator(_ p: ShellCommand.Part) -> Bool {
        if generators.contains(p.program) { return true }
        guard let sub = p.subcommand else { return false }
        return sub.split(separator: " ").contains { w in
            let word = String(w)
            return generateWords.contains(word) || generateWords.contains(String(word.split(separator: ":").first ?? ""))
        }
    }

    static func find(_ s: SessionEvents, normalize: (String) -> String, into c: inout Candidates) {
        var done = Set<String>()
        for (i, e) in s.events.enumerated() {
            guard case .tool(let call) = e.kind, call.name == "Read", call.outcome == .ok, let marker = call.generatedMarker else { continue }
            let path = normalize(call.argument)
            guard done.insert(path).inserted else { continue }
            let ev = Learning.Evidence(sessionId: s.sessionId, eventIndex: i)
            guard LocationFacts.isPortable(path), !path.contains(" ") else {
                c.reject("`\(path)` is generated.", .generated, "not a repository path", [ev])
                continue
            }
            var generator: (text: String, index: Int)?
            for j in (i + 1)..<s.events.count {
                if case .user = s.events[j].kind { break }  // the user's next prompt starts another task
                guard case .tool(let later) = s.events[j].kind, FailureFixes.isShell(later), later.outcome == .ok else { continue }
                let cmd = ShellCommand(normalize(later.argument))
                guard !cmd.isComplex, !cmd.masksStatus, !cmd.changesRemoteState,
                      let gp = cmd.parts.first(where: isGenerator), CommandKind.isQuotable(gp) else { continue }
                generator = (gp.text, j)
                break
            }
            guard let generator else {
                c.reject("`\(path)` is generated (\(marker)).", .generated, "its header says generated, but no generator command ran", [ev])
                continue
            }
            let text = "`\(path)` is generated: change its source and run `\(generator.text)`; do not edit it by hand."
            c.add(Learning(text: text, source: .generated, score: 0.75,
                           evidence: [ev, .init(sessionId: s.sessionId, eventIndex: generator.index)],
                           why: "its header says \"\(marker.prefix(60))\" and `\(generator.text)` then ran"))
        }
    }
}
