import Foundation
import ContextSyncTestSupport
import Testing
@testable import ContextSyncCore

@Suite struct EmbeddedTemplatesTests {
    static let templates = TestSupport.packageRoot + "/templates"

    @Test(arguments: EmbeddedTemplates.all.map(\.file))
    func embeddedTextEqualsTheFileByteForByte(_ file: String) throws {
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: Self.templates + "/" + file))
        let embedded = try #require(EmbeddedTemplates.all.first { $0.file == file }).text
        let same = Array(embedded.utf8) == Array(onDisk)
        #expect(same, "templates/\(file) differs from EmbeddedTemplates.swift \(Self.firstDifference(embedded, String(decoding: onDisk, as: UTF8.self)))")
    }

    /// "at line N: embedded `...`, file `...`" for a readable failure.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.components(separatedBy: "\n"), lb = b.components(separatedBy: "\n")
        for i in 0..<max(la.count, lb.count) where i >= la.count || i >= lb.count || Array(la[i].utf8) != Array(lb[i].utf8) {
            return "at line \(i + 1): embedded \(i < la.count ? la[i].debugDescription : "(end)"), file \(i < lb.count ? lb[i].debugDescription : "(end)")"
        }
        return ""
    }

    @Test func everyInstallerTemplateIsEmbedded() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.templates)
        // config.toml is a sample for users to copy, not something an installer writes.
        let installerFiles = Set(files.filter { $0 != "config.toml" && !$0.hasPrefix(".") })
        #expect(installerFiles == Set(EmbeddedTemplates.all.map(\.file)))
    }

    @Test func skillHasTheFrontmatterClaudeCodeReads() throws {
        let skill = EmbeddedTemplates.skill
        #expect(skill.hasPrefix("---\nname: context-sync\n"))
        let front = try #require(skill.dropFirst(4).components(separatedBy: "\n---\n").first)
        let description = try #require(front.split(separator: "\n").first { $0.hasPrefix("description: ") })
        // It commits and pushes: only the user starts it (/context-sync), never the model on its own.
        #expect(front.contains("\ndisable-model-invocation: true\n"))
        for phrase in ["learnings.md", "commits and pushes"] { #expect(description.contains(phrase)) }
        #expect(front.contains("allowed-tools: Bash(context-sync digest:*), Bash(context-sync apply:*)"))
        #expect(skill.contains(IntegrationNames.installedMarker))
    }

    @Test func skillDrivesDigestThenApplyAndHonoursDryRun() {
        let skill = EmbeddedTemplates.skill
        let digest = skill.range(of: "context-sync digest\n")
        let apply = skill.range(of: "context-sync apply <<'EOF'\n")
        #expect(digest != nil && apply != nil)
        if let digest, let apply { #expect(digest.lowerBound < apply.lowerBound) }
        #expect(skill.contains("$ARGUMENTS"))
        #expect(skill.contains("`context-sync apply --dry-run`"))
        #expect(skill.contains("- 1: a secret was found"))
        #expect(skill.contains("- 3: committed"))
    }

    @Test func skillPagesProposesWithEvidenceAndAsksBeforeApplying() {
        let skill = EmbeddedTemplates.skill
        #expect(skill.contains("--- next page:"))
        #expect(skill.contains("`--dry-run`: add `--no-record` to every `context-sync digest` command"))
        #expect(skill.contains("numbered, each with its evidence"))
        #expect(skill.contains("keep all, some (which numbers), or none?"))
        #expect(skill.contains("`--yes`: keep every proposal without asking"))
        #expect(skill.contains("a reviewed \"none\" marks the sessions shown as processed"))
        #expect(skill.contains("the sessions\nstay new"))
    }

    @Test func renderedUnitsAndPlistHaveNoPlaceholderLeft() {
        let tools = SystemTools(locate: { _ in nil }, execute: { _, _, _ in ToolResult(status: 0) })
        let systemd = SystemdTimerInstaller(unitDirectory: "/u", executable: "/bin/cs", offsetMinute: 7, tools: tools)
        let launchd = LaunchdInstaller(home: "/h", executable: "/bin/cs", userID: 501, tools: tools)
        for text in [systemd.serviceText, systemd.timerText, launchd.plistText] {
            #expect(!text.contains("{{"))
            #expect(text.contains(IntegrationNames.installedMarker))
        }
        #expect(systemd.serviceText.contains("\nExecStart=/bin/cs run --all --quiet\n"))
        #expect(systemd.serviceText.contains("\nType=oneshot\n"))
        #expect(systemd.timerText.contains("\nOnCalendar=*-*-* *:07:00\n"))
        #expect(systemd.timerText.contains("\nPersistent=true\n"))
        #expect(launchd.plistText.contains("<key>StartInterval</key>\n\t<integer>3600</integer>"))
        #expect(launchd.plistText.contains("<string>/h/Library/Logs/context-sync.log</string>"))
        #expect(launchd.plistText.contains("<key>RunAtLoad</key>\n\t<false/>"))
    }
}
