import Foundation

/// Which extractor turns a project's new sessions into learnings.
public enum ExtractorKind: String, Sendable, CaseIterable {
    case heuristic, command, claude
}

/// The extractor settings of one run, resolved once: flag, else the config's `[extractor]`
/// table, else the default (`resolve`). Every command that extracts (`run`, `extract`, `demo`,
/// the pre-push harvest through `run`) takes them from here.
public struct ExtractorSettings: Sendable, Equatable {
    public var kind: ExtractorKind
    public var command: String?
    public var timeoutSeconds: Double
    public var maxLearnings: Int

    public static let defaultTimeoutSeconds = 300.0
    public static let defaultMaxLearnings = 10

    public init(kind: ExtractorKind = .heuristic, command: String? = nil,
                timeoutSeconds: Double = defaultTimeoutSeconds, maxLearnings: Int = defaultMaxLearnings) {
        self.kind = kind
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        self.maxLearnings = maxLearnings
    }

    /// Flags first, then the config, then the defaults. A command extractor without a command
    /// is an error naming both places it can come from.
    public static func resolve(kind: ExtractorKind?, command: String?, timeoutSeconds: Double?, maxLearnings: Int?,
                               config: Config) throws -> ExtractorSettings {
        let s = ExtractorSettings(kind: kind ?? config.extractorKind.flatMap(ExtractorKind.init(rawValue:)) ?? .heuristic,
                                  command: command ?? config.extractorCommand,
                                  timeoutSeconds: timeoutSeconds ?? config.extractorTimeoutSeconds ?? defaultTimeoutSeconds,
                                  maxLearnings: maxLearnings ?? config.maxLearnings ?? defaultMaxLearnings)
        if s.kind == .command && (s.command ?? "").isEmpty {
            throw ContextSyncError("the command extractor needs a command (--extractor-command 'CMD' or [extractor] command in the config)")
        }
        return s
    }

    /// The extractor these settings name.
    public func extractor(progress: (@Sendable (Int, Int, Int) -> Void)? = nil) -> any Extractor {
        switch kind {
        case .heuristic: return BuiltInExtractor(maxLearnings: maxLearnings)
        case .command, .claude:
            return CommandExtractor(command: kind == .claude ? ExternalExtractor.claudePreset : command ?? "",
                                    timeoutSeconds: timeoutSeconds, maxLearnings: maxLearnings, progress: progress)
        }
    }
}

/// Turns the events of a batch of sessions into selected learnings, given the bullets already in
/// learnings.md. `redact` is applied to everything that leaves the process (an external
/// extractor's input); the results themselves are not redacted (the run's secret policy is).
public protocol Extractor: Sendable {
    func extract(batch: ProjectBatch, existing: [String], redact: @escaping (String) -> String,
                 environment: Environment) throws -> HeuristicExtractor.Result
}

/// The built-in heuristic extractor, with the repository's own command definitions.
public struct BuiltInExtractor: Extractor {
    public var maxLearnings: Int
    public init(maxLearnings: Int = ExtractorSettings.defaultMaxLearnings) { self.maxLearnings = maxLearnings }

    public func extract(batch: ProjectBatch, existing: [String], redact: @escaping (String) -> String,
                        environment: Environment) throws -> HeuristicExtractor.Result {
        let repo = RepoCommands.read(root: batch.report.project.topLevel)
        return HeuristicExtractor(maxLearnings: maxLearnings, repoCommands: repo)
            .extract(batch.events, normalize: batch.normalizer.normalize, existing: existing)
    }
}

/// An external extractor (a shell command, or headless `claude -p`): the digest in parts, newest
/// sessions first, one call each; `progress(part, parts, sessions)` before each part.
public struct CommandExtractor: Extractor {
    public var command: String
    public var timeoutSeconds: Double
    public var maxLearnings: Int
    public var progress: (@Sendable (Int, Int, Int) -> Void)?

    public func extract(batch: ProjectBatch, existing: [String], redact: @escaping (String) -> String,
                        environment: Environment) throws -> HeuristicExtractor.Result {
        let ext = ExternalExtractor(command: command, timeout: timeoutSeconds)
        let answers = try ext.run(sessions: batch.events, normalize: batch.normalizer.normalize, redact: redact,
                                  environment: environment, progress: progress)
        let candidates = answers.map {
            Learning(text: batch.normalizer.normalize($0.text), source: .external, score: 0.8, evidence: $0.evidence)
        }
        return HeuristicExtractor.select(candidates, existing: existing, max: maxLearnings)
    }
}

/// Step 4 of a run (docs/architecture.md): the learnings of a project's new sessions and the new
/// entries of Claude Code's auto memory, and the sessions they were read from.
public enum Harvest {
    public static func run(report: ProjectSessionsReport, workspace ws: Workspace, extractor: any Extractor,
                           redact: @escaping (String) -> String) throws -> RunHarvest {
        let batch = ProjectBatch.load(report: report, home: ws.environment.home)
        var got = RunHarvest(bullets: [], sessions: [], warnings: batch.warnings)
        if !batch.events.isEmpty {
            let existing = LearningsFileBullets.read(projectRoot: report.project.topLevel)
            let result = try extractor.extract(batch: batch, existing: existing, redact: redact, environment: ws.environment)
            // A learning cut from a text that held a secret may keep a fragment of it: not written.
            let clean = EvidenceSecrets.filter(result.kept, events: batch.events,
                                               scanner: try SecretScanner(allowlist: ws.config.secretAllowlist))
            got.bullets = clean.kept.map(\.text)
            got.sessions = batch.readSessions
        }
        if AutoMemory.enabled(topLevel: report.project.topLevel, config: ws.config) {
            var folders = Set(report.sessions.map { ($0.file.path as NSString).deletingLastPathComponent })
            for w in report.project.worktrees { folders.insert(ws.root.projectsPath + "/" + ProjectFolderName.encode(w)) }
            let memory = try AutoMemory.harvest(folders: Array(folders),
                                                recordPath: AutoMemory.recordPath(stateFile: report.statePath))
            got.bullets += memory.bullets.map(batch.normalizer.normalize)
            if memory.changed { got.memory = memory.record }
        }
        return got
    }
}
