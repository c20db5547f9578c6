import Testing
@testable import ContextSyncCore

@Suite struct ClaudeSettingsTests {
    static let file = "/home/me/.claude/settings.json"
    static let command = ClaudeSettings.hookCommand(executable: "/usr/local/bin/context-sync")

    /// Claude Code writes settings.json as JSON.stringify(value, null, 2).
    static let userSettings = """
        {
          "model": "opus",
          "permissions": {
            "allow": [
              "Bash(make test:*)"
            ],
            "deny": []
          },
          "hooks": {
            "Stop": [
              {
                "matcher": "",
                "hooks": [
                  {
                    "type": "command",
                    "command": "notify-send done"
                  }
                ]
              }
            ],
            "SessionEnd": [
              {
                "matcher": "logout",
                "hooks": [
                  {
                    "type": "command",
                    "command": "echo bye >> ~/bye.log",
                    "timeout": 5
                  }
                ]
              }
            ]
          },
          "cleanupPeriodDays": 90
        }

        """

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func commandStartsRunDetachedAndCarriesTheMarker() {
        #expect(Self.command == "nohup /usr/local/bin/context-sync run --if-opted-in --quiet --settle 0 </dev/null >/dev/null 2>&1 & # installed by context-sync")
        #expect(ClaudeSettings.hookCommand(executable: "/a b/cs").hasPrefix("nohup '/a b/cs' run --if-opted-in --quiet --settle 0"))
        #expect(ClaudeSettings.isOurs(Self.command))
    }

    @Test func addingToNoFileCreatesTheHook() throws {
        let (text, change) = try #require(try ClaudeSettings.adding(command: Self.command, to: nil, file: Self.file))
        #expect(change == .added)
        let v = try JSONParser.parse(text)
        let groups = try #require(v["hooks"]?["SessionEnd"]?.array)
        #expect(groups.count == 1)
        #expect(groups[0]["matcher"] == nil)
        #expect(groups[0]["hooks"]?.array?.first?["type"]?.string == "command")
        #expect(groups[0]["hooks"]?.array?.first?["command"]?.string == Self.command)
        #expect(text.hasSuffix("}\n"))
    }

    @Test func addingKeepsOtherKeysInOrderAndOtherHooks() throws {
        let (text, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(Self.userSettings), file: Self.file))
        let v = try JSONParser.parse(text)
        #expect(v.object?.keys == ["model", "permissions", "hooks", "cleanupPeriodDays"])
        #expect(v["hooks"]?.object?.keys == ["Stop", "SessionEnd"])
        #expect(v["hooks"]?["Stop"] == (try JSONParser.parse(Self.userSettings))["hooks"]?["Stop"])
        let groups = try #require(v["hooks"]?["SessionEnd"]?.array)
        #expect(groups.count == 2)
        #expect(groups[0]["matcher"]?.string == "logout")
        #expect(groups[0]["hooks"]?.array?.first?["timeout"]?.number == 5)
        #expect(groups[1]["hooks"]?.array?.first?["command"]?.string == Self.command)
        #expect(v["cleanupPeriodDays"]?.number == 90)
    }

    @Test func addingTwiceChangesNothing() throws {
        let (text, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(Self.userSettings), file: Self.file))
        #expect(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(text), file: Self.file) == nil)
    }

    @Test func addingUpdatesOurCommandInPlaceWhenTheBinaryMoved() throws {
        let old = ClaudeSettings.hookCommand(executable: "/old/context-sync")
        let (installed, _) = try #require(try ClaudeSettings.adding(command: old, to: Self.bytes(Self.userSettings), file: Self.file))
        let (text, change) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(installed), file: Self.file))
        #expect(change == .updated)
        #expect(try ClaudeSettings.ourCommands(in: Self.bytes(text), file: Self.file) == [Self.command])
        #expect(text == installed.replacingOccurrences(of: "/old/context-sync", with: "/usr/local/bin/context-sync"))
    }

    @Test func removingRestoresTheOriginalBytes() throws {
        let (installed, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(Self.userSettings), file: Self.file))
        #expect(try ClaudeSettings.removing(from: Self.bytes(installed), file: Self.file) == Self.userSettings)
        let compact = #"{"model":"opus"}"#
        let (added, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(compact), file: Self.file))
        #expect(added.hasPrefix(#"{"model":"opus","hooks":{"SessionEnd":[{"hooks":[{"type":"command","command":"#))
        #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file) == compact)
    }

    @Test func removingDropsContainersLeftEmpty() throws {
        let (added, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes("{}\n"), file: Self.file))
        #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file) == "{}\n")
    }

    @Test func removingKeepsTheUsersEntryInAGroupWeShare() throws {
        let shared = """
            {"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "echo mine"}, {"type": "command", "command": "\(Self.command)"}]}]}}
            """
        let out = try #require(try ClaudeSettings.removing(from: Self.bytes(shared), file: Self.file))
        let v = try JSONParser.parse(out)
        let entries = try #require(v["hooks"]?["SessionEnd"]?.array?.first?["hooks"]?.array)
        #expect(entries.map { $0["command"]?.string } == ["echo mine"])
    }

    @Test func removingWithoutOurHookIsNil() throws {
        #expect(try ClaudeSettings.removing(from: Self.bytes(Self.userSettings), file: Self.file) == nil)
        #expect(try ClaudeSettings.removing(from: Self.bytes("{}"), file: Self.file) == nil)
    }

    @Test func anEmptyUserGroupIsKept() throws {
        let text = #"{"hooks": {"SessionEnd": [{"matcher": "clear", "hooks": []}]}}"#
        let (added, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(text), file: Self.file))
        let groups = try #require(try JSONParser.parse(added)["hooks"]?["SessionEnd"]?.array)
        #expect(groups.count == 2)
        #expect(groups[0]["matcher"]?.string == "clear")
        let removed = try #require(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file))
        #expect(try JSONParser.parse(removed) == (try JSONParser.parse(text)))
    }

    @Test func emptyFileCountsAsNoSettings() throws {
        let (text, change) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes("  \n"), file: Self.file))
        #expect(change == .added)
        #expect(try ClaudeSettings.ourCommands(in: Self.bytes(text), file: Self.file) == [Self.command])
    }

    /// Numbers past Double's precision, odd spacing, tabs, unicode escapes, `"hooks": {}`.
    static let oddSettings = "{\t\"big\" :12345678901234567890 ,\n\n    \"ratio\": 1.50, \"exp\": 1E+2,\n    \"name\": \"caf\\u00e9 \\ud83d\\ude00 \\/\",\n    \"hooks\": {}\n  }  \n\n"

    @Test func addingKeepsEveryOtherByte() throws {
        let (added, change) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(Self.oddSettings), file: Self.file))
        #expect(change == .added)
        #expect(added.hasPrefix("{\t\"big\" :12345678901234567890 ,\n\n    \"ratio\": 1.50, \"exp\": 1E+2,\n    \"name\": \"caf\\u00e9 \\ud83d\\ude00 \\/\",\n    \"hooks\": {"))
        #expect(added.hasSuffix("}\n  }  \n\n"))
        #expect(try ClaudeSettings.ourCommands(in: Self.bytes(added), file: Self.file) == [Self.command])
        // Back to the exact bytes when the original had the (empty) hooks object.
        #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file, original: Self.bytes(Self.oddSettings)) == Self.oddSettings)
        // Without that knowledge the emptied hooks object goes, and nothing else.
        #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file)
                == "{\t\"big\" :12345678901234567890 ,\n\n    \"ratio\": 1.50, \"exp\": 1E+2,\n    \"name\": \"caf\\u00e9 \\ud83d\\ude00 \\/\"\n  }  \n\n")
    }

    @Test func anEntryIsLaidOutLikeItsNeighbours() throws {
        let fourSpaces = "{\n    \"hooks\": {\n        \"Stop\": []\n    }\n}\n"
        let (added, _) = try #require(try ClaudeSettings.adding(command: "x # installed by context-sync", to: Self.bytes(fourSpaces), file: Self.file))
        #expect(added == """
            {
                "hooks": {
                    "Stop": [],
                    "SessionEnd": [
                        {
                            "hooks": [
                                {
                                    "type": "command",
                                    "command": "x # installed by context-sync"
                                }
                            ]
                        }
                    ]
                }
            }

            """)
        #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file, original: Self.bytes(fourSpaces)) == fourSpaces)
    }

    @Test func roundTripsWithOtherHooksAndAnExistingSessionEndList() throws {
        for original in [Self.userSettings, #"{"hooks":{"SessionEnd":[]}}"#, "{\"a\": [1, 2.0e-3]}"] {
            let (added, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(original), file: Self.file))
            #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file, original: Self.bytes(original)) == original)
        }
    }

    @Test func bracketsAndQuotesInsideStringsAndCRLFLinesAreKept() throws {
        let tricky = "{\r\n  \"a\": \"}]\\\"[{\",\r\n  \"b\": [[], {\"c\": -0.5e-7}],\r\n  \"hooks\": {\"Stop\": [{\"hooks\": [{\"command\": \"x }\"}]}]}\r\n}\r\n"
        let (added, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(tricky), file: Self.file))
        let v = try JSONParser.parse(added)
        #expect(v["a"]?.string == "}]\"[{")
        #expect(v["hooks"]?.object?.keys == ["Stop", "SessionEnd"])
        #expect(try ClaudeSettings.ourCommands(in: Self.bytes(added), file: Self.file) == [Self.command])
        #expect(added.hasPrefix("{\r\n  \"a\": \"}]\\\"[{\",\r\n  \"b\": [[], {\"c\": -0.5e-7}],\r\n  \"hooks\": {\"Stop\": [{\"hooks\": [{\"command\": \"x }\"}]}], \"SessionEnd\": [{\"hooks\": [{\"type\": \"command\", \"command\": "))
        #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file, original: Self.bytes(tricky)) == tricky)
        let crlf = "{\r\n  \"model\": \"opus\"\r\n}\r\n"
        let (withHook, _) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(crlf), file: Self.file))
        #expect(!withHook.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(try ClaudeSettings.removing(from: Self.bytes(withHook), file: Self.file, original: Self.bytes(crlf)) == crlf)
    }

    @Test func aOneLineFileStaysOnOneLine() throws {
        for (original, spaced) in [(#"{"n": 12345678901234567890, "hooks": {}}"#, true), (#"{"hooks":{}}"#, false), ("{}", false)] {
            let (added, _) = try #require(try ClaudeSettings.adding(command: "x # installed by context-sync", to: Self.bytes(original), file: Self.file))
            #expect(!added.contains("\n"))
            #expect(added.contains(spaced ? #"{"SessionEnd": [{"hooks": [{"type": "command", "command": "x # installed by context-sync"}]}]}"#
                                          : #"{"SessionEnd":[{"hooks":[{"type":"command","command":"x # installed by context-sync"}]}]}"#))
            #expect(try ClaudeSettings.removing(from: Self.bytes(added), file: Self.file, original: Self.bytes(original)) == original)
        }
    }

    @Test func addingDropsDuplicatesOfOurEntry() throws {
        let twice = """
            {"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "\(Self.command)"}]}, {"hooks": [{"type": "command", "command": "echo mine"}, {"type": "command", "command": "old \(IntegrationNames.hookMarker)"}]}]}}
            """
        let (text, change) = try #require(try ClaudeSettings.adding(command: Self.command, to: Self.bytes(twice), file: Self.file))
        #expect(change == .updated)
        #expect(text == """
            {"hooks": {"SessionEnd": [{"hooks": [{"type": "command", "command": "\(Self.command)"}]}, {"hooks": [{"type": "command", "command": "echo mine"}]}]}}
            """)
    }

    @Test(arguments: [
        (#"{"model": "opus",}"#, "is not valid JSON (line 1)"),
        ("{\n  \"a\": 12345678901234567890,\n  \"b\": tru\n}", "is not valid JSON (line 3)"),
        ("{\n  \"a\": 1\n  \"b\": 2\n}", "is not valid JSON (line 3)"),
        ("[1, 2]", "is not a JSON object"),
        (#"{"hooks": []}"#, "\"hooks\" is not an object"),
        (#"{"hooks": {"SessionEnd": {}}}"#, "\"hooks.SessionEnd\" is not a list"),
    ])
    func refusesMalformedSettingsNamingTheFile(_ text: String, _ reason: String) {
        for body in [{ _ = try ClaudeSettings.adding(command: Self.command, to: Self.bytes(text), file: Self.file) },
                     { _ = try ClaudeSettings.removing(from: Self.bytes(text), file: Self.file) }] {
            do {
                try body()
                Issue.record("accepted \(text)")
            } catch let e as ContextSyncError {
                #expect(e.message.hasPrefix(Self.file))
                #expect(e.message.contains(reason))
                #expect(e.status == .usage)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func refusesInvalidUTF8() {
        let bytes = Array(#"{"model": ""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(throws: ContextSyncError.self) { try ClaudeSettings.adding(command: Self.command, to: bytes, file: Self.file) }
    }
}
