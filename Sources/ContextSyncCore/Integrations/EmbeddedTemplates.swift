// The files under templates/, embedded so the installed binary needs no resource bundle.
// Keep each constant byte-for-byte equal to its file: EmbeddedTemplatesTests checks it.

/// The text of each file under `templates/` that an installer writes.
public enum EmbeddedTemplates {
    /// `templates/SKILL.md`: The `/context-sync` Claude Code skill, installed as is by `install skill`.
    public static let skill = #"""
    ---
    name: context-sync
    description: Save what was learned in this project's Claude Code sessions to the repository's shared .claude/learnings.md (committed and pushed with git) using the context-sync CLI. Use when the user asks to sync context, save what we learned, extract learnings, remember this for next time, or update the project's learnings.
    argument-hint: "[--dry-run]"
    allowed-tools: Bash(context-sync digest:*), Bash(context-sync apply:*)
    ---
    <!-- installed by context-sync: `context-sync install skill --uninstall` removes this file. -->

    # Save this project's learnings with context-sync

    You are the extractor: `context-sync digest` shows you what happened in this project's recent
    sessions, you decide what is worth remembering, and `context-sync apply` scans it for secrets,
    writes it to `.claude/learnings.md`, commits and pushes.

    Arguments: $ARGUMENTS

    If the arguments contain `--dry-run`, this is a dry run: show the learnings and run
    `context-sync apply --dry-run`, which writes, commits and pushes nothing.

    ## 1. Read the digest

    Run, from the project's directory:

    ```sh
    context-sync digest
    ```

    It prints the project's sessions that context-sync has not processed yet (one line per event:
    prompts, interruptions, tool calls with OK or ERROR, summaries), with secrets already redacted.
    Sessions still being written to, like this one, are not in it: use this conversation as a second
    source. If `context-sync` is not found, tell the user to install it and put it on PATH, and stop.
    If it exits with status 2 (for example: not a git repository), show its message and stop.

    ## 2. Write the learnings

    Keep only what a future session in this repository would wish it had known at the start:

    - A failure and the fix that worked: "Run the tests with `uv run pytest`; plain `pytest` misses the venv."
    - A correction or preference the user stated: "Use `pnpm`, never `npm`, in this repository."
    - A project fact that took effort to discover: where something lives, how parts connect, a convention.
    - A build, test, lint or run command that was seen to work.

    Rules:

    - One line per learning, starting with `- `, written as an instruction or a plain fact.
    - Paths relative to the repository root, in backticks. No line numbers: they go stale.
    - No secrets, tokens, passwords, keys, private URLs or personal data, not even partly.
    - No details of the task at hand (what was changed today, ticket numbers, branch names).
    - Only what the sessions showed to be true; no guesses and no generic advice.
    - Skip anything already in `.claude/learnings.md` or `CLAUDE.md`.
    - At most about 10, most useful first. If nothing is worth keeping, write none: that is a fine result.

    ## 3. Show them, then apply

    Show the user the learnings you chose (or say that nothing was worth keeping). Then pass them to
    `context-sync apply` on stdin with a quoted heredoc, so the shell leaves backticks and `$` alone:

    ```sh
    context-sync apply <<'EOF'
    - First learning.
    - Second learning.
    EOF
    ```

    For a dry run use `context-sync apply --dry-run` with the same heredoc. When there is nothing to
    keep, still run `context-sync apply </dev/null` (or `--dry-run` in a dry run) so the digest's
    sessions are marked as processed and not offered again.

    ## 4. Report the result

    Tell the user what `context-sync apply` printed. Its exit status:

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

    /// Every embedded template with its file name under `templates/`.
    public static let all: [(file: String, text: String)] = [
        ("SKILL.md", skill),
        ("context-sync.service", systemdService),
        ("context-sync.timer", systemdTimer),
        ("dev.context-sync.run.plist", launchdPlist),
        ("pre-push", PrePushTemplate.text),
    ]
}
