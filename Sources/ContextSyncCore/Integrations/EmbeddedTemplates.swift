// The files under templates/, embedded so the installed binary needs no resource bundle.
// Keep each constant byte-for-byte equal to its file: EmbeddedTemplatesTests checks it.

/// The text of each file under `templates/` that an installer writes.
public enum EmbeddedTemplates {
    /// `templates/SKILL.md`: The `/context-sync` Claude Code skill, installed as is by `install skill`.
    public static let skill = #"""
    ---
    name: context-sync
    description: Review what this project's recent Claude Code sessions learned, choose the learnings to keep, and commit them to the repository's shared .claude/learnings.md with the context-sync CLI (commits and pushes).
    argument-hint: "[--dry-run] [--yes]"
    disable-model-invocation: true
    allowed-tools: Bash(context-sync digest:*), Bash(context-sync apply:*)
    ---
    <!-- installed by context-sync: `context-sync install skill --uninstall` removes this file. -->

    # Save this project's learnings with context-sync

    You are the extractor: `context-sync digest` shows you what happened in this project's recent
    sessions, you propose what is worth remembering, the user chooses, and `context-sync apply`
    scans the chosen learnings for secrets, writes them to `.claude/learnings.md`, commits and pushes.
    This skill runs only when the user types `/context-sync`, because it commits and pushes.

    Arguments: $ARGUMENTS

    - `--dry-run`: add `--no-record` to every `context-sync digest` command, show the proposals and
      run `context-sync apply --dry-run`; nothing is written, committed, pushed or marked.
    - `--yes`: keep every proposal without asking (still show them).

    ## 1. Read the digest, page by page

    Run, from the project's directory:

    ```sh
    context-sync digest
    ```

    It prints the sessions context-sync has not processed yet, newest first, one line per event:
    `USER:` prompts (also those typed while Claude worked), `INTERRUPTED:`, `ASSISTANT:` text,
    `TOOL name(args) -> OK`, `-> ERROR(category): the error line`, `-> FAILED (exit 0 …)` for output
    that states a failure, `-> REJECTED by the user, who said: …`, `HOOK:` rules the project's hooks
    enforce, subagent prompts, results and failures, `DOCUMENT:` reasons from plans read, and
    compaction summaries. Secrets are already redacted. `[n]` is the event's position in its
    session; a line's evidence is `<session id>#<n>`.

    The output is one page of at most 25,000 characters. Its last lines say `--- page i` (`of n`
    once the last page is known), how many older sessions remain, and, when there are more pages,
    give the exact command for the next one (`--- next page: …`): run it,
    and keep going until the last page or until you have read about five pages; say how many
    sessions remain unread. Only the sessions on the pages you printed are marked processed later;
    the others stay new for the next review.

    Sessions still being written to, like this one, are not in it: use this conversation as a second
    source. If `context-sync` is not found, tell the user to install it and put it on PATH, and stop.
    If it exits with status 2 (for example: not a git repository), show its message and stop.

    ## 2. Propose learnings

    Keep only what a future session in this repository would wish it had known at the start. Best
    sources: a correction the user made (after an interrupt, a rejected tool call, a queued prompt),
    a failure and the different action that fixed it, a `HOOK:` rule, the assistant's explanation of
    a cause ("because…", "the root cause…"), a command that builds, tests or runs the project.

    Each learning stands alone: the rule or fact, why (what goes wrong otherwise), and the command or
    path it applies to. For example:

    - "Run the tests with `uv run pytest`; plain `pytest` misses the project's virtualenv (ModuleNotFoundError)."
    - "Use `pnpm`, never `npm`, in this repository: the user rejected `npm install`."

    Rules:

    - One line per learning, written as an instruction or a plain fact.
    - Paths relative to the repository root, in backticks. No line numbers: they go stale.
    - No secrets, tokens, passwords, keys, private URLs or personal data, not even partly.
    - No details of the task at hand (what was changed today, ticket numbers, branch names).
    - Only what the sessions showed to be true; no guesses and no generic advice.
    - Skip anything already in `.claude/learnings.md` or `CLAUDE.md`.
    - At most about 10, most useful first. If nothing is worth keeping, propose none.

    ## 3. Ask the user which to keep

    Show the proposals numbered, each with its evidence, for example:

    ```
    1. Run the tests with `uv run pytest`; plain `pytest` misses the virtualenv.
       evidence: 3f2a…#41 (pytest failed), 3f2a…#43 (uv run pytest passed)
    2. …
    ```

    Then ask: keep all, some (which numbers), or none? Wait for the answer. With `--yes`, keep all
    without asking. If the user does not answer, or stops the review, run nothing more: the sessions
    stay new and are offered again next time.

    ## 4. Apply the chosen ones

    Pass the chosen learnings (without numbers and evidence) to `context-sync apply` on stdin with a
    quoted heredoc, so the shell leaves backticks and `$` alone:

    ```sh
    context-sync apply <<'EOF'
    - First learning.
    - Second learning.
    EOF
    ```

    For a dry run use `context-sync apply --dry-run` with the same heredoc. When the user chose none,
    or there was nothing to propose, run `context-sync apply </dev/null` (or `--dry-run` in a dry
    run): a reviewed "none" marks the sessions shown as processed so they are not offered again.

    ## 5. Report the result

    Tell the user what `context-sync apply` printed, and how many sessions remain for a later review.
    Its exit status:

    - 0: done (written, committed and pushed), or nothing new.
    - 1: a secret was found in a learning and nothing was written. Remove or rewrite that learning
      without the secret and run `context-sync apply` again.
    - 2: bad input, or not a git repository: show the message.
    - 3: committed, but the push failed; it is queued and the next run retries it. Nothing to do.
    - 4: another context-sync run holds the repository's lock: wait a few seconds and retry once.

    """#

    /// `templates/context-sync.service`: The systemd user service; `{{EXECUTABLE}}` is filled in by `install timer`.
    public static let systemdService = #"""
    # installed by context-sync: `context-sync install timer --uninstall` removes this file.
    # Started by context-sync.timer: harvests the learnings of every opted-in repository.
    [Unit]
    Description=context-sync: save Claude Code learnings to git

    [Service]
    Type=oneshot
    ExecStart={{EXECUTABLE}} run --all --quiet
    Nice=10
    IOSchedulingClass=idle

    """#

    /// `templates/context-sync.timer`: The systemd user timer; `{{EVERY}}` and `{{ON_CALENDAR}}` are filled in by `install timer`.
    public static let systemdTimer = #"""
    # installed by context-sync: `context-sync install timer --uninstall` removes this file.
    [Unit]
    Description=Run context-sync {{EVERY}}

    [Timer]
    OnCalendar={{ON_CALENDAR}}
    Persistent=true

    [Install]
    WantedBy=timers.target

    """#

    /// `templates/dev.context-sync.run.plist`: The macOS LaunchAgent; `{{LABEL}}`, `{{EXECUTABLE}}`, `{{INTERVAL_SECONDS}}` and `{{LOG_FILE}}` are filled in by `install launchd`.
    public static let launchdPlist = #"""
    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
    <!-- installed by context-sync: "context-sync install launchd" with the uninstall flag removes this file. -->
    <plist version="1.0">
    <dict>
    	<key>Label</key>
    	<string>{{LABEL}}</string>
    	<key>ProgramArguments</key>
    	<array>
    		<string>{{EXECUTABLE}}</string>
    		<string>run</string>
    		<string>--all</string>
    		<string>--quiet</string>
    	</array>
    	<key>StartInterval</key>
    	<integer>{{INTERVAL_SECONDS}}</integer>
    	<key>RunAtLoad</key>
    	<false/>
    	<key>ProcessType</key>
    	<string>Background</string>
    	<key>LowPriorityIO</key>
    	<true/>
    	<key>Nice</key>
    	<integer>10</integer>
    	<key>StandardOutPath</key>
    	<string>{{LOG_FILE}}</string>
    	<key>StandardErrorPath</key>
    	<string>{{LOG_FILE}}</string>
    </dict>
    </plist>

    """#

    /// `templates/extractor-prompt.md`: the instructions an external extractor gets before the digest.
    public static let extractorPrompt = #"""
    You are extracting durable learnings from Claude Code session logs for this project.
    What would future-you wish you knew when starting a new session here? Keep: corrections and
    preferences the user stated, a failure and the different action that fixed it, architecture decisions and why,
    non-obvious patterns, gotchas, configuration and deployment knowledge, dependency quirks, rules the
    project's hooks enforce, commands that build, test or run the project. Skip: line numbers,
    temporary fixes, dead ends, routine operations (git, file edits), details of the task at hand,
    data values and credentials.

    Each learning stands alone in one or two sentences: the rule or fact, why, and the command or
    path it applies to (paths relative to the repository root, in backticks).

    Answer with a JSON array and nothing else. Each element is an object: "text" is the learning,
    "evidence" lists the digest lines it rests on as "<session id>#<n>" (the id from the
    "=== Session <id>" header, n from the line's "[n]"). Example:

    [{"text": "Run the tests with `uv run pytest`; plain `pytest` misses the virtualenv.", "evidence": ["3f2a9c1e-0000-4000-8000-000000000001#41"]}]

    If there is nothing worth keeping, answer: []

    The session digest follows.


    """#

    /// Every embedded template with its file name under `templates/`.
    public static let all: [(file: String, text: String)] = [
        ("SKILL.md", skill),
        ("extractor-prompt.md", extractorPrompt),
        ("context-sync.service", systemdService),
        ("context-sync.timer", systemdTimer),
        ("dev.context-sync.run.plist", launchdPlist),
        ("pre-push", PrePushTemplate.text),
    ]
}
