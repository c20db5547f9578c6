import ArgumentParser
import ContextSyncCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Print the learnings that would be appended for the project's new sessions.",
        discussion: """
            The default extractor is built in, offline and deterministic, and writes nothing rather \
            than a doubtful rule: a failure followed by its fix (same program and subcommand run \
            with another launcher, directory, flag or prerequisite), a user correction that \
            generalises, explicit "remember/always/never" statements, a file found elsewhere after \
            a failed lookup, a failure recurring in three sessions, and build/test commands seen \
            working in two sessions or defined by the repository (package.json, Makefile, justfile, \
            mise). At most 5 bullets per session and --max per run. An external program \
            can be used instead (--extractor command --extractor-command CMD): it gets the \
            extraction prompt and the redacted digest on stdin and answers a JSON list of \
            {"text", "evidence"} (plain "- " bullets are accepted too). A digest larger than 80,000 \
            characters is sent in parts (whole sessions, newest first), one call per part, and the \
            answers merged; --verbose shows each learning's evidence. Nothing is written; `run` \
            appends, commits and pushes.

            EXAMPLES
              context-sync extract
              context-sync extract --verbose --max 5
              context-sync extract --extractor claude
              context-sync extract --extractor command --extractor-command 'llm -m gpt-4o'
            """
    )

    @OptionGroup var projectOption: ProjectOption
    var project: String? { projectOption.path }

    @OptionGroup var sessionOptions: SessionOptions
    @OptionGroup var extractorOptions: ExtractorOptions

    @Option(help: ArgumentHelp("Machine name in the section heading (default: $CONTEXT_SYNC_MACHINE, config `machine`, host name).",
                               valueName: "NAME"))
    var machine: String?

    @Flag(help: "Also print (to stderr) why each candidate was kept or dropped.")
    var verbose = false

    @Flag(help: "Include sessions already processed.")
    var all = false

    func run() throws {
        try runReportingErrors {
            let ws = try Workspace(claudeDir: sessionOptions.claudeDir, settleMinutes: sessionOptions.settle)
            // Summaries and subagent listings are for `sessions`: the batch reads what it shows.
            let report = try ws.projectSessions(projectPath: project, details: false)
            let batch = ProjectBatch.load(report: report, home: ws.environment.home, includeProcessed: all)
            for w in report.warnings + batch.warnings { printWarning("skipped unreadable transcript: \(w)") }
            guard !batch.events.isEmpty else {
                FileHandleOutput.stdout.write("No new sessions for \(report.project.identity.key).\n")
                return .ok
            }
            let existing = LearningsFileBullets.read(projectRoot: report.project.topLevel)
            let redact = try Redaction.function(ws)
            let result = try extractorOptions.extract(batch: batch, existing: existing, redact: redact, environment: ws.environment,
                                                      config: ws.config)
            let name = try MachineName.resolve(flag: machine, environment: ws.environment, config: ws.config)
            if result.kept.isEmpty {
                FileHandleOutput.stdout.write("No new learnings.\n")
            } else {
                var out = "## \(MachineName.today()) (\(name))\n\n"
                for l in result.kept { out += "- \(redact(l.text))\n" }
                FileHandleOutput.stdout.write(out)
            }
            if verbose {
                for l in result.kept {
                    let why = l.why.isEmpty ? "" : ": \(redact(l.why))"
                    printNote("kept [\(l.source.rawValue), score \(String(format: "%.2f", l.score))] from \(l.evidence.map(\.description).joined(separator: ", "))\(why)")
                }
                for d in result.dropped {
                    printNote("dropped (\(d.reason)) [\(d.learning.source.rawValue)]: \(redact(d.learning.text))")
                }
            }
            return .ok
        }
    }
}

func printNote(_ message: String) {
    FileHandleOutput.stderr.write("context-sync: \(message)\n")
}

/// `--extractor`, `--extractor-command`, `--extractor-timeout`, `--max`; Core resolves them
/// (`ExtractorSettings.resolve`) and runs the extractor (`Extractor`, `Harvest`).
struct ExtractorOptions: ParsableArguments {
    typealias Kind = ExtractorKind

    @Option(help: ArgumentHelp("heuristic (built in, default), command (--extractor-command) or claude (headless `claude -p`). Config: [extractor] kind.",
                               valueName: "KIND"))
    var extractor: Kind?

    @Option(help: ArgumentHelp("Shell command for --extractor command: reads the prompt and digest on stdin, prints bullets.",
                               valueName: "CMD"))
    var extractorCommand: String?

    @Option(help: ArgumentHelp("Seconds, in total over all parts of the digest, before the external extractor is stopped (default 300).", valueName: "SECONDS"))
    var extractorTimeout: Double?

    @Option(help: ArgumentHelp("At most this many learnings per run (default 10, config [extractor] max_learnings).", valueName: "N"))
    var max: Int?

    func validate() throws {
        if let max, max < 1 { throw ValidationError("--max must be at least 1") }
        if let t = extractorTimeout, t <= 0 { throw ValidationError("--extractor-timeout must be positive") }
        if extractor == .command && (extractorCommand ?? "").isEmpty {
            throw ValidationError("--extractor command needs --extractor-command 'CMD'")
        }
    }

    /// The extractor the flags and the config name; a line per part of the digest on stderr when
    /// it is a terminal.
    func resolved(config: Config) throws -> any Extractor {
        let settings = try ExtractorSettings.resolve(kind: extractor, command: extractorCommand, timeoutSeconds: extractorTimeout,
                                                     maxLearnings: max, config: config)
        guard isatty(2) != 0 else { return settings.extractor() }
        return settings.extractor { part, parts, sessions in
            let plural = sessions == 1 ? "" : "s"
            printNote("extractor: part \(part) of \(parts) (\(sessions) session\(plural))")
        }
    }

    func extract(batch: ProjectBatch, existing: [String], redact: @escaping (String) -> String,
                 environment: Environment, config: Config) throws -> HeuristicExtractor.Result {
        // Not redacted here: `run` applies its secret policy, `extract` redacts what it prints.
        try resolved(config: config).extract(batch: batch, existing: existing, redact: redact, environment: environment)
    }
}

extension ExtractorKind: ExpressibleByArgument {}
