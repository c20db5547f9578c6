/// What a simple command is for, judged by its program and subcommand (never by a word that
/// merely occurs in it: the shell builtin `test -f x` is not a test command, the `run` of
/// `uv run x` is a launcher).
enum CommandKind: String, Sendable {
    case test, build, lint, run, gate

    static let taskRunners: Set<String> = ["npm", "pnpm", "yarn", "bun", "make", "just", "task", "mise", "mix", "rake", "deno", "composer"]
    static let testPrograms: Set<String> = ["pytest", "jest", "vitest", "rspec", "ctest", "phpunit", "mocha", "tox", "nox", "unittest",
                                            "playwright", "cypress", "bats", "prove", "busted", "ava", "tap"]
    static let lintPrograms: Set<String> = ["eslint", "ruff", "flake8", "mypy", "pyright", "tsc", "prettier", "rubocop", "black",
                                            "isort", "shellcheck", "golangci-lint", "swiftlint", "swift-format", "swiftformat",
                                            "stylelint", "biome", "pylint", "markdownlint", "hadolint", "actionlint", "yamllint",
                                            "ktlint", "clang-format", "rustfmt", "gofmt", "standardrb", "pre-commit", "ty", "pyrefly",
                                            "basedpyright", "oxlint", "deno-lint", "vale", "codespell"]
    static let testWords: Set<String> = ["test", "tests", "spec", "specs", "unit", "e2e", "integration", "coverage"]
    static let lintWords: Set<String> = ["lint", "fmt", "format", "credo", "dialyzer", "clippy", "vet", "typecheck", "type-check",
                                         "types", "check-types", "stylecheck", "lint:fix", "format:check"]
    static let buildWords: Set<String> = ["build", "compile", "assemble", "bundle", "package", "dist"]
    static let runWords: Set<String> = ["dev", "start", "serve", "server", "phx.server", "watch", "preview"]
    static let gateWords: Set<String> = ["check", "ci", "verify", "precommit", "pre-commit", "validate", "all", "checks", "qa"]

    /// The programs whose subcommand `of` judges (besides `taskRunners`): any other has none.
    static let subcommandKindPrograms: Set<String> = ["cargo", "go", "swift", "dotnet", "flutter", "dart", "gradle", "gradlew", "mvn",
                                                      "mix", "rails"]

    static func of(_ p: ShellCommand.Part) -> CommandKind? {
        if testPrograms.contains(p.program) { return .test }
        if lintPrograms.contains(p.program) { return .lint }
        guard let sub = p.subcommand, subcommandKindPrograms.contains(p.program) || taskRunners.contains(p.program) else { return nil }
        let subWords = sub.split(separator: " ").map(String.init)
        // `npm run test:unit` → "test:unit"; `mise run check` → "check".
        let verb = subWords.last.map { String($0.split(separator: ":").first ?? Substring($0)) } ?? ""
        let isScript = subWords.count == 2 && ["run", "run-script"].contains(subWords[0]) || subWords.count == 1
        guard isScript else { return nil }
        switch p.program {
        case "cargo":
            switch verb { case "test", "nextest": return .test; case "build", "check": return .build
            case "clippy", "fmt": return .lint; case "run": return .run; default: return nil }
        case "go":
            switch verb { case "test": return .test; case "build", "install": return .build; case "vet", "fmt": return .lint
            case "run": return .run; default: return nil }
        case "swift", "dotnet", "flutter", "dart", "gradle", "gradlew", "mvn":
            switch verb { case "test": return .test; case "build", "compile", "package", "assemble": return .build
            case "run": return .run; case "format", "analyze", "lint": return .lint; case "check", "verify": return .gate
            default: return nil }
        case "mix":
            if verb == "test" { return .test }
            if ["compile"].contains(verb) { return .build }
            if ["format", "credo", "dialyzer"].contains(verb) { return .lint }
            if verb == "phx.server" { return .run }
            if ["precommit", "check", "ci", "quality"].contains(verb) { return .gate }
            return nil
        case "rails":
            if verb == "test" { return .test }
            if verb == "server" || verb == "s" { return .run }
            return nil
        case _ where taskRunners.contains(p.program):
            if testWords.contains(verb) { return .test }
            if lintWords.contains(verb) { return .lint }
            if buildWords.contains(verb) { return .build }
            if runWords.contains(verb) { return .run }
            if gateWords.contains(verb) { return .gate }
            return nil
        default:
            return nil
        }
    }

    /// Commands every session of the ecosystem already knows (bare `mix test`, `cargo build`,
    /// `npm install`): a template naming one teaches nothing.
    static func isWellKnown(_ p: ShellCommand.Part) -> Bool {
        let args = p.arguments.filter { $0 != "./..." && $0 != "." }
        guard args.isEmpty, p.launcher.isEmpty, p.directory == nil else { return false }
        return wellKnown.contains(p.identity)
    }

    static let wellKnown: Set<String> = ["mix test", "mix compile", "mix format", "mix deps.get", "cargo build", "cargo test", "cargo check",
                                  "cargo fmt", "cargo clippy", "cargo run", "go test", "go build", "go vet", "go run", "swift build",
                                  "swift test", "npm test", "npm install", "npm ci", "npm run build", "npm start", "yarn", "yarn install",
                                  "pnpm install", "pytest", "make", "bundle install", "dotnet build", "dotnet test", "mvn test",
                                  "gradle build", "pip install", "uv sync", "poetry install", "rspec", "jest", "vitest", "tsc",
                                  "ruff", "black", "eslint", "prettier", "flutter test", "rails test"]

    /// A template may only quote a command with no run ids, PR numbers, long hashes or cut-off
    /// arguments, and without a one-off file target.
    static func isQuotable(_ p: ShellCommand.Part, maxLength: Int? = 80) -> Bool {
        for a in p.arguments {
            if a.allSatisfy({ $0.isNumber }) || a.hasPrefix("#") { return false }
            if a.count >= 7, a.allSatisfy({ $0.isHexDigit }) { return false }
            if a.hasSuffix("…") || a.hasSuffix("...") && !a.hasSuffix("/...") || a == "\"" || a == "'" { return false }
            if a.hasPrefix("\"") || a.hasPrefix("'") { return false }
            if TextBytes.contains(a, "=") && !a.hasPrefix("-") { return false }
        }
        return maxLength.map { p.text.count <= $0 } ?? true
    }
}
