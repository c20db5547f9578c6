/// Why a tool call failed, from its result text (an ordered table: the first match wins).
public enum ErrorCategory: String, Sendable, CaseIterable {
    case userRejected = "user rejected"
    case commandNotFound = "command not found"
    case fileNotFound = "file not found"
    case permissionDenied = "permission denied"
    case noMatches = "no matches"
    case timeout
    case testFailure = "test failure"
    case buildError = "build/syntax error"
    /// Formatters, linters, type checkers and pre-commit validation.
    case lintFailure = "lint/format failure"
    /// Claude Code's own tool mechanics ("File has not been read yet", input validation, sibling
    /// call errored, output too large): never a lesson about the project.
    case toolMechanics = "tool mechanics"
    case other

    /// Lower-cased substrings per category, checked in declaration order.
    static let table: [(ErrorCategory, [String])] = [
        (.userRejected, ["the user doesn't want to proceed", "user rejected", "tool use was rejected",
                         "[request interrupted by user for tool use]"]),
        (.toolMechanics, ["file has not been read yet", "inputvalidationerror", "sibling tool call errored",
                          "exceeds maximum allowed tokens", "exceeds maximum allowed size", "requested permissions to", "haven't granted it yet",
                          "string to replace not found", "found multiple matches of the string", "file has been modified since read",
                          "eisdir: illegal operation on a directory"]),
        (.lintFailure, ["pre-commit validation failed", "not formatted", "would reformat", "credo", "dialyzer",
                        "eslint", "lint error", "linting failed", "rubocop", "clippy", "mypy", "flake8", "ruff"]),
        (.commandNotFound, ["command not found", "exit code 127", "is not recognized as an internal or external command",
                            "no such command", "unknown command", "executable file not found"]),
        (.permissionDenied, ["permission denied", "eacces", "operation not permitted", "eperm"]),
        (.fileNotFound, ["no such file or directory", "does not exist", "enoent", "cannot find the path",
                         "could not resolve", "cannot find module", "file not found", "not a directory"]),
        (.noMatches, ["no matches found", "no files found", "0 matches", "found 0 files", "no match for"]),
        (.timeout, ["timed out", "timeout", "deadline exceeded"]),
        (.testFailure, ["tests failed", "test failed", "failures:", "assertionerror", "assertion failed", " failed,",
                        "failing tests", "test result: failed", "1) test", "expectation failed", "✘ test"]),
        (.buildError, ["syntaxerror", "syntax error", "compile error", "compilation failed", "error: cannot find",
                       "build failed", "error[e", "cannot invoke", "undefined function", "type error", "typeerror",
                       "error ts", "parse error", "unexpected token", "could not compile", "error:"]),
    ]

    static let compiledTable = table.map { ($0.0, $0.1.map(ByteSearch.Needle.init)) }

    public static func classify(_ text: String) -> ErrorCategory {
        let lower = TextBytes.lowercasedForMatching(TextBytes.prefix(text, 4000))
        for (category, needles) in compiledTable where ByteSearch.containsAny(lower, needles) {
            return category
        }
        return .other
    }
}
