#!/usr/bin/env python3
"""Labelled evaluation of the secret scanner: precision / recall / F1 per rule family, and MB/s.

Every credential value is generated at run time from a seeded random generator (nothing
live-looking is stored in the repository). Each case is one line, placed in a context as it
occurs in Claude Code sessions: a learnings bullet, a shell command as a `tool_use` JSON record,
tool output as a `tool_result` JSON record, an .env / YAML / JSON config line, prose. Negatives are
near misses in the same contexts (placeholders, references, hashes, ids, prose about passwords).

A positive counts as found when `context-sync scan` reports its line and `scan --redact` removes
the secret from it; a negative is a false alarm when its line is reported.

    scripts/eval-scan.py                      # debug build, seed 1
    scripts/eval-scan.py --seed 7 --cases 40  # another draw (held out from tuning)
    BIN=.build-bench/release/context-sync scripts/eval-scan.py
"""
import argparse
import base64
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN", os.path.join(ROOT, ".build/debug/context-sync"))

R = random.Random(1)
AL = string.ascii_letters + string.digits
B64 = AL + "+/"
B64URL = AL + "-_"
HEX = "0123456789abcdef"
UP = string.ascii_uppercase + string.digits


def rs(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def password():
    """A password as people and generators make them."""
    kind = R.randrange(4)
    if kind == 0:
        return rs(AL, R.randrange(12, 20))
    if kind == 1:
        return rs(AL + "!@#%^*-_=+", R.randrange(12, 20))
    if kind == 2:
        season = R.choice(["Winter", "Summer", "Autumn", "Spring", "Tiger", "Falcon", "Orange"])
        return season + str(R.randrange(1990, 2030)) + R.choice("!@#$%*?")
    return "-".join(R.choice(["correct", "horse", "battery", "staple", "purple", "monkey", "river", "stone"]) for _ in range(3)) + "-" + str(R.randrange(10))


def pem(label="RSA PRIVATE KEY", lines=12, nl="\n"):
    body = nl.join(rs(B64, 64) for _ in range(lines))
    return "-----BEGIN " + label + "-----" + nl + body + nl + rs(AL, 20) + "==" + nl + "-----END " + label + "-----"


def b64(s):
    return base64.b64encode(s.encode()).decode()


def b64u(s):
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


# ---- contexts (how text reaches the scanner in a session) -------------------------------------

def bullet(s):
    return "- " + s


def tool_use(cmd):
    return json.dumps({"type": "assistant", "message": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": cmd}}]}})


def tool_result(out):
    return json.dumps({"type": "user", "message": {"content": [{"type": "tool_result", "content": out}]}})


def any_context(s):
    return R.choice([bullet, tool_use, tool_result, lambda x: x])(s)


def text_context(s):
    return R.choice([bullet, tool_result, lambda x: x])(s)


# ---- positives: family -> generator returning (line, secret) ------------------------------------

PROVIDERS = [
    ("gh" + "p_", lambda: rs(AL, 36)), ("github" + "_pat_", lambda: rs(AL, 22) + "_" + rs(AL, 59)), ("gl" + "pat-", lambda: rs(AL + "-_", 20)),
    ("xo" + "xb-", lambda: str(R.randrange(10**11, 10**12)) + "-" + str(R.randrange(10**12, 10**13)) + "-" + rs(AL, 24)),
    ("sk" + "_live_", lambda: rs(AL, 24)), ("AI" + "za", lambda: rs(B64URL, 35)), ("sk" + "-proj-", lambda: rs(B64URL, 120)),
    ("sk" + "-ant-api03-", lambda: rs(B64URL, 93) + "AA"), ("hf" + "_", lambda: rs(string.ascii_letters, 34)), ("np" + "m_", lambda: rs(AL, 36)),
    ("S" + "G.", lambda: rs(B64URL, 22) + "." + rs(B64URL, 43)), ("AK" + "IA", lambda: rs(UP, 16)), ("dckr" + "_pat_", lambda: rs(B64URL, 27)),
    ("gs" + "k_", lambda: rs(AL, 52)), ("xa" + "i-", lambda: rs(AL, 80)), ("pp" + "lx-", lambda: rs(AL, 48)), ("r8" + "_", lambda: rs(AL, 37)),
    ("HRKU" + "-AA", lambda: rs(B64URL, 58)), ("fo" + "1_", lambda: rs(B64URL, 43)), ("bk" + "ua_", lambda: rs(HEX, 40)),
    ("NR" + "AK-", lambda: rs(UP, 27)), ("xkey" + "sib-", lambda: rs(HEX, 64) + "-" + rs(AL, 16)), ("sb" + "p_", lambda: rs(HEX, 40)),
    ("na" + "pi_", lambda: rs(string.ascii_lowercase + string.digits, 64)), ("GOC" + "SPX-", lambda: rs(B64URL, 28)), ("fi" + "gd_", lambda: rs(B64URL, 40)),
    ("sk" + "-or-v1-", lambda: rs(HEX, 64)), ("shp" + "at_", lambda: rs(HEX, 32)), ("pul" + "-", lambda: rs(HEX, 40)), ("CCI" + "PAT_", lambda: rs(AL, 22) + "_" + rs(HEX, 40)),
]


def provider():
    prefix, body = R.choice(PROVIDERS)
    tok = prefix + body()
    form = R.choice(["export API_TOKEN={t}", '"token": "{t}"', "Set the key to {t} and retry.", 'curl -H "Authorization: token {t}" https://api.example.com',
                     "API_KEY={t}", "key: {t}", "`{t}`"])
    return any_context(form.format(t=tok)), tok


def special_provider():
    k = R.randrange(4)
    if k == 0:
        t = str(R.randrange(10**8, 10**10)) + ":AA" + rs(B64URL, 33)
        return any_context("curl https://api.telegram.org/bot" + t + "/getMe"), t
    if k == 1:
        t = rs(AL, 3) + str(R.randrange(10)) + "Q~" + rs(AL + "_~.", 34)
        return any_context("AZURE_CLIENT_SECRET=" + t), t
    if k == 2:
        t = "https://discord.com/api/webhooks/" + str(R.randrange(10**17, 10**18)) + "/" + rs(B64URL, 68)
        return any_context("webhook: " + t), t[-40:]
    t = "https://hooks.slack.com/services/T" + rs(UP, 10) + "/B" + rs(UP, 10) + "/" + rs(AL, 24)
    return any_context(t), t[-24:]


def command():
    pw = password().replace("'", "")
    forms = ["mysql -uroot -p{p} shop", "mysqldump -u admin -p'{p}' --all-databases > all.sql", "docker login -u ci -p {p} registry.example.com",
             "sshpass -p '{p}' ssh deploy@10.0.0.7 uptime", "htpasswd -bc /etc/nginx/.htpasswd admin '{p}'", "sqlcmd -S db -U sa -P '{p}' -Q 'SELECT 1'",
             "redis-cli -h cache -a '{p}' ping", "PGPASSWORD='{p}' psql -h db -U app", "curl -u deploy:'{p}' https://ci.example.com/hook",
             "machine api.example.com login bob password {p}", "smbclient //fs/share -U alice%'{p}'", "zip -P '{p}' out.zip notes.txt"]
    f = R.choice(forms)
    ctx = tool_use if "machine" not in f else text_context
    return ctx(f.format(p=pw)), pw


def short_key():
    pw = password()
    name = R.choice(["pw", "PW", "pwd", "Pwd", "pswd", "passwd", "PASSWD", "pass", "Pass", "db_pass", "rootpw", "passphrase", "user_pw"])
    form = R.choice(["{n}: {v}", "{n}={v}", '"{n}": "{v}"', "export {n}='{v}'", "{n} = \"{v}\""])
    return any_context(form.format(n=name, v=pw)), pw


def prose():
    k = R.randrange(5)
    if k == 0:
        pw = password()
        return text_context(R.choice(["The password is {p} for now.", "the admin password for staging is `{p}`", "password was changed to {p}",
                                      "DB password: {p}"]).format(p=pw)), pw
    if k == 1:
        pw = password()
        return text_context("user/pass: admin / " + pw), pw
    if k == 2:
        s = rs(B64, 40)
        return text_context(R.choice(["the secret key is {s}", "AWS secret access key: {s}", "access key AK" + "IA" + rs(UP, 16) + " with secret {s}"]).format(s=s)), s
    if k == 3:
        pw = password()
        return tool_result('2024-05-01T10:00:00Z level=info msg="connecting" user=app password=' + pw + " host=db"), pw
    t = rs(AL, 32)
    return text_context("The API token for the staging tenant is " + t + "."), t


def sql():
    pw = password().replace("'", "")
    f = R.choice(["CREATE USER 'app'@'%' IDENTIFIED BY '{p}';", "ALTER USER app WITH PASSWORD '{p}';", "create role reporter with login password '{p}';",
                  "ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '{p}';"])
    return any_context(f.format(p=pw)), pw


def typed():
    pw = password().replace('"', "")
    f = R.choice(['val password: String = "{p}"', 'let pw: &str = "{p}";', 'client.setPassword("{p}")', 'private const string Password = "{p}";',
                  'builder.password("{p}").build()', 'var dbPassword: String = "{p}"'])
    return any_context(f.format(p=pw)), pw


def long_form():
    k = R.randrange(5)
    if k == 0:
        v = b64(pem(lines=25))
        return tool_result("users:\n- name: admin\n  user:\n    client-key-data: " + v + "\n"), v[20:60]
    if k == 1:
        p = pem(nl="\\n")
        return tool_result('{"log": "' + p + '"}'), p[40:80]
    if k == 2:
        t = "gh" + "p_" + rs(AL, 36)
        return tool_result("\x1b[32m" + t + "\x1b[0m created"), t
    if k == 3:
        d = rs(B64URL, 43)
        return any_context('{"kty":"EC","crv":"P-256","x":"' + rs(B64URL, 43) + '","y":"' + rs(B64URL, 43) + '","d":"' + d + '"}'), d
    lines = [rs(B64, 64) for _ in range(8)]
    code = 'key = "-----BEGIN RSA PRIVATE KEY-----\\n" +\n' + "".join('    "' + l + '\\n" +\n' for l in lines) + '    "-----END RSA PRIVATE KEY-----"'
    return code, lines[3]


def structural():
    k = R.randrange(5)
    if k == 0:
        t = b64u('{"alg":"HS256","typ":"JWT"}') + "." + b64u('{"sub":"%d","exp":1700000000}' % R.randrange(10**6)) + "." + rs(B64URL, 43)
        return any_context("Authorization: Bearer " + t), t
    if k == 1:
        p = pem()
        return tool_result(p), p[40:80]
    if k == 2:
        pw = rs(AL, 16)
        return any_context("DATABASE_URL=postgres://app:" + pw + "@db.internal:5432/app"), pw
    if k == 3:
        t = rs(B64URL, 48)
        return tool_use('curl -H "Authorization: Bearer ' + t + '" https://api.example.com/v1/me'), t
    t = b64("ci:" + rs(AL, 14))
    return tool_use("curl -H 'Authorization: Basic " + t + "' https://x.example.com"), t


def generic():
    v = R.choice([rs(AL, 32), rs(HEX, 40), rs(B64, 44)])
    name = R.choice(["API_SECRET", "client_secret", "auth_token", "encryption_key", "SIGNING_KEY", "apiKey", "access_token", "webhookSecret"])
    form = R.choice(["{n}={v}", '"{n}": "{v}"', "{n}: {v}", "export {n}=\"{v}\"", "{n} = '{v}'"])
    return any_context(form.format(n=name, v=v)), v


POSITIVES = {"provider": provider, "provider-special": special_provider, "command": command, "short-key": short_key, "prose": prose,
             "sql": sql, "typed": typed, "long-wrapped": long_form, "structural": structural, "generic": generic}

# ---- negatives: near misses in the same contexts, per family -------------------------------------


def neg_provider():
    prefix, body = R.choice(PROVIDERS)
    b = body()
    return any_context(R.choice([
        "{p}" + "x" * len(b), "use a {p}... token with read scope", "the {p} prefix marks these tokens", "{p}<your token here>",
        "{p}" + b[: len(b) // 3], "AK" + "IAIOSFODNN7" + "EXAMPLE", "sk" + "_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "token: 0x" + rs(HEX, 40), "api_key: " + "sk" + "-proj-" + rs(AL, 24) + "...", "image: nginx@sha256:" + rs(HEX, 64),
    ]).format(p=prefix))


def neg_special():
    return any_context(R.choice([
        "meeting at 12:" + "AAbc with the team", "https://discord.com/api/webhooks/<id>/<token>", "see https://hooks.slack.com/services/T000/B000/XXXX",
        "value: " + rs(AL, 4) + "Q~ done", "the bot id is " + str(R.randrange(10**8, 10**9)),
    ]))


def neg_command():
    return tool_use(R.choice([
        "mysql -u root -p shop", "mysql -h db -P 3306 -u root -p", "mysql -uroot -p\"$MYSQL_ROOT_PASSWORD\" db", "mkdir -p build/out && ssh -p 2222 host",
        "sshpass -f ~/.ssh/pw ssh deploy@host", "docker login -u ci --password-stdin registry.example.com", "htpasswd -c /etc/nginx/.htpasswd admin",
        "zip -r out.zip dir/", "redis-cli -h cache ping", "PGPASSWORD=$PGPASSWORD psql -h db", "curl -u \"$USER:$TOKEN\" https://api.example.com",
        "ps aux | grep -p", "tar -czf backup.tgz -p data/", "git log -p -1",
    ]))


def neg_short_key():
    return any_context(R.choice([
        "pw: ${PW}", "PWD=/home/user/project", "pw = getpass()", "pass: true", "passphrase: \"<your passphrase>\"", "cd $PWD && make",
        "pass_fds=(3, 4)", "pwd: " + "/var/lib/app", "passwd: files systemd", "PASS=$(cat /run/secrets/pass)",
    ]))


def neg_prose():
    return text_context(R.choice([
        "The password is stored in the keychain.", "if password is None: return", "The token is valid for 30 days.", "Your password was reset.",
        "the secret key is in 1Password", "password: the one from the vault", "The API key is required for every request.",
        "Each password must be at least 12 characters long.", "commit " + rs(HEX, 40) + " rotated the secret",
    ]))


def neg_sql():
    return any_context(R.choice([
        "The user is identified by their e-mail address.", "Sessions are identified by 'sid' cookies.", "CREATE USER 'app'@'%' IDENTIFIED BY '<password>';",
        "ALTER USER app PASSWORD NULL;", "CREATE TABLE users (id int, password TEXT NOT NULL);", "SELECT password FROM users WHERE id = 1;",
    ]))


def neg_typed():
    return any_context(R.choice([
        'val password: String = System.getenv("DB_PASSWORD")', "setPassword(input.text)", 'keyring.get_password("svc", "user")', "password: String? = nil",
        'readSecret("prod/db")', "let token: Token = Token(kind: .identifier)", 'def login(password: str) -> bool:', 'hashPassword(req.body.password)',
    ]))


def neg_long():
    return any_context(R.choice([
        "    client-key-data: REDACTED", "    certificate-authority-data: " + b64("-----BEGIN CERTIFICATE-----\n" + rs(B64, 400)),
        '"-----BEGIN RSA PRIVATE KEY-----\\n" + body + "\\n-----END RSA PRIVATE KEY-----"', "\x1b[32m" + "gh" + "p_" + rs(AL, 10) + "\x1b[0m",
        '{"kty":"RSA","n":"' + rs(B64URL, 86) + '","e":"AQAB"}', "-----BEGIN PUBLIC KEY-----",
    ]))


def neg_structural():
    return any_context(R.choice([
        b64u('{"alg":"HS256","typ":"JWT"}') + "." + rs(B64URL, 40) + "." + rs(B64URL, 43), "postgres://user:password@localhost:5432/mydb",
        "https://user@github.com/org/repo.git", "Authorization: Bearer <token>", "Authorization: Bearer $TOKEN", "git clone https://github.com/o/r.git",
        "auth: com.google.auth:google-auth-library-oauth2-http:1.19.0",
    ]))


def neg_generic():
    return any_context(R.choice([
        "token_sha256: " + rs(HEX, 64), '"integrity": "sha512-' + rs(B64, 86) + '=="', "session_id = \"" + rs(HEX, 32) + "\"", "max_tokens: 4096",
        "api_key = os.environ[\"API_KEY\"]", "secret: \"your-secret-here\"", "password: ################", "request_token: " + "%08x-%04x-4%03x-a%03x-%012x" % (R.randrange(16**8), R.randrange(16**4), R.randrange(16**3), R.randrange(16**3), R.randrange(16**12)),
        "cache_key = \"" + rs(HEX, 32) + "\"", "\"version\": \"1.2.3\"", "key: user:1234:session",
    ]))


NEGATIVES = {"provider": neg_provider, "provider-special": neg_special, "command": neg_command, "short-key": neg_short_key, "prose": neg_prose,
             "sql": neg_sql, "typed": neg_typed, "long-wrapped": neg_long, "structural": neg_structural, "generic": neg_generic}


# ---- held-out templates: written after tuning on the set above and not tuned on ------------------


def h_positive():
    k = R.randrange(20)
    pw = password().replace("'", "").replace('"', "")
    t40 = rs(B64, 40)
    gh = "gh" + "p_" + rs(AL, 36)
    cases = [
        (tool_use("git remote set-url origin https://x-access-token:" + gh + "@github.com/o/r.git"), gh, "structural"),
        (tool_result("STRIPE_SECRET_KEY=" + "sk" + "_live_" + rs(AL, 24)), None, "provider"),
        (tool_result("apiVersion: v1\nusers:\n- name: ci\n  user:\n    token: " + b64u('{"alg":"RS256","kid":"k1"}') + "." + b64u('{"iss":"kubernetes/serviceaccount"}') + "." + rs(B64URL, 86)), None, "structural"),
        (tool_use("docker run -d -e POSTGRES_PASSWORD=" + pw + " -p 5432:5432 postgres:16"), pw, "short-key"),
        (tool_use('mongosh "mongodb+srv://app:' + rs(AL, 16) + '@cluster0.abcde.mongodb.net/prod"'), None, "structural"),
        (tool_use("export MYSQL_PWD='" + pw + "'"), pw, "short-key"),
        (tool_use("aws configure set aws_secret_access_key " + t40), t40, "prose"),
        (tool_use("wget --user=bob --password='" + pw + "' https://files.example.com/a.tgz"), pw, "command"),
        (tool_use("ssh-keygen -t ed25519 -f ~/.ssh/deploy -N '" + pw + "'"), pw, "command"),
        (tool_use("openssl enc -aes-256-cbc -in a.txt -out a.enc -pass pass:" + pw), pw, "command"),
        (tool_use('curl -H "X-API-Key: ' + rs(HEX, 32) + '" https://api.example.com/v2/items'), None, "generic"),
        (tool_use("heroku config:set SECRET_KEY_BASE=" + rs(HEX, 128)), None, "generic"),
        (tool_result("GET /callback?state=xyz&access_token=" + rs(B64URL, 40) + "&expires_in=3600 HTTP/1.1"), None, "generic"),
        (tool_use("npm config set //registry.npmjs.org/:_authToken " + "np" + "m_" + rs(AL, 36)), None, "provider"),
        (bullet("I've set the DB password to " + pw + " in .env"), pw, "prose"),
        (tool_result("spring:\n  datasource:\n    url: jdbc:postgresql://db/app\n    password: " + pw), pw, "short-key"),
        (bullet("Login for the staging admin panel: admin / " + pw), pw, "prose"),
        (tool_use("psql 'host=db user=app password=" + pw + " dbname=app'"), pw, "command"),
        (tool_result("redis://default:" + rs(AL, 20) + "@redis-12345.c1.cloud.redislabs.com:12345"), None, "structural"),
        (tool_use("echo '" + pw + "' | docker login ghcr.io -u bob --password-stdin"), pw, "command"),
    ]
    text, secret, fam = cases[k]
    if secret is None:
        # the secret is the longest random-looking run in the text
        secret = max((w for w in __import__("re").split(r"[^A-Za-z0-9+/_\-]", text)), key=len)
    return fam, text, secret


def h_negative():
    return R.choice([
        ("command", tool_use("psql -h db -U app -W")), ("structural", tool_result("origin\thttps://github.com/o/r.git (fetch)")),
        ("provider", tool_result("token: ${{ secrets.GITHUB_TOKEN }}")), ("short-key", tool_use("docker run -e POSTGRES_PASSWORD -p 5432:5432 postgres")),
        ("short-key", tool_result('{"password": null, "user": "app"}')), ("generic", tool_result(rs(HEX, 64) + "  dist/app.tar.gz")),
        ("generic", tool_result("digest: sha256:" + rs(HEX, 64) + " size: 1570")), ("generic", tool_use("export AWS_PROFILE=prod")),
        ("generic", tool_result('"request_id": "req_' + rs(AL, 14) + '"')), ("generic", tool_result('"id": "cus_' + rs(AL, 14) + '"')),
        ("prose", bullet("the password flag for mysql is -p (no space)")), ("prose", bullet("Set SECRET_KEY in your environment before running.")),
        ("command", tool_use("curl -X POST https://auth.example.com/oauth/token -d grant_type=client_credentials -d client_id=$CLIENT_ID")),
        ("generic", tool_result("commit " + rs(HEX, 40) + "\nAuthor: Bob <bob@example.com>")), ("generic", tool_result("x-amz-request-id: " + rs("0123456789ABCDEF", 16))),
        ("short-key", tool_result("PASSWORD_MIN_LENGTH=12")), ("prose", bullet("Rotate the API key every 90 days; the old key stays valid for 24 hours.")),
        ("command", tool_use("sshpass -e ssh deploy@host")), ("structural", tool_result("Authorization: Bearer ${TOKEN}")),
        ("long-wrapped", tool_result("-----BEGIN CERTIFICATE-----\n" + "\n".join(rs(B64, 64) for _ in range(6)) + "\n-----END CERTIFICATE-----")),
    ])


def run(args, data):
    return subprocess.run([BIN] + args, input=data, capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=60, help="positives and negatives per family")
    ap.add_argument("--mb", type=int, default=50, help="MB of labelled text for the throughput figure")
    ap.add_argument("--show", action="store_true", help="print the lines that were missed or falsely reported (values masked)")
    ap.add_argument("--heldout", action="store_true", help="use the held-out templates (not tuned on)")
    a = ap.parse_args()
    R.seed(a.seed)
    cases = []  # (family, label, text, secret)
    if a.heldout:
        for _ in range(a.cases * len(POSITIVES) // 2):
            fam, text, secret = h_positive()
            cases.append((fam, True, text, secret))
            fam, text = h_negative()
            cases.append((fam, False, text, None))
    for fam in ([] if a.heldout else POSITIVES):
        for _ in range(a.cases):
            text, secret = POSITIVES[fam]()
            cases.append((fam, True, text, secret))
            cases.append((fam, False, NEGATIVES[fam](), None))
    # One case per block; blocks are separated by a blank line so multi-line cases stay apart.
    blob, starts = "", []
    for fam, label, text, secret in cases:
        starts.append(blob.count("\n") + 1)
        blob += text + "\n\n"
    data = blob.encode()
    found = json.loads("[" + ",".join(run(["scan", "--json", "-"], data).stdout.decode().splitlines()) + "]")
    redacted = run(["scan", "--redact", "-"], data).stdout.decode()
    lines_hit = {f["line"] for f in found}
    red_blocks = redacted.split("\n\n")
    stats = {}
    problems = []
    for i, (fam, label, text, secret) in enumerate(cases):
        nlines = text.count("\n") + 1
        hit = any(l in lines_hit for l in range(starts[i], starts[i] + nlines))
        s = stats.setdefault(fam, [0, 0, 0])  # tp fn fp
        if label:
            ok = hit and secret not in red_blocks[i]
            s[0 if ok else 1] += 1
            if not ok:
                problems.append(("missed", fam, text.replace(secret, secret[:4] + "…")))
        elif hit:
            s[2] += 1
            problems.append(("false alarm", fam, text))

    def prf(tp, fn, fp):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    print(f"labelled set: {'held-out templates' if a.heldout else 'tuning templates'}, seed {a.seed}, {len(cases)} cases ({a.cases} positives + {a.cases} near misses per family), binary {os.path.relpath(BIN, ROOT)}")
    print(f"{'family':<18}{'TP':>5}{'FN':>5}{'FP':>5}{'P':>8}{'R':>8}{'F1':>8}")
    T = [0, 0, 0]
    for fam, (tp, fn, fp) in stats.items():
        p, r, f = prf(tp, fn, fp)
        T = [T[0] + tp, T[1] + fn, T[2] + fp]
        print(f"{fam:<18}{tp:>5}{fn:>5}{fp:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    p, r, f = prf(*T)
    print(f"{'overall':<18}{T[0]:>5}{T[1]:>5}{T[2]:>5}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    if a.show:
        for kind, fam, text in problems:
            print(f"  {kind:<11} {fam:<16} {text[:140]!r}")
    # Throughput on the labelled text itself (dense with secrets and near misses).
    reps = max(1, a.mb * 1_000_000 // len(data))
    with tempfile.NamedTemporaryFile(delete=False) as tmp:
        for _ in range(reps):
            tmp.write(data)
        big = tmp.name
    try:
        size = os.path.getsize(big)
        t0 = time.perf_counter()
        subprocess.run([BIN, "scan", big], capture_output=True)
        dt = time.perf_counter() - t0
        print(f"throughput on the labelled text: {size / 1e6:.1f} MB in {dt:.2f} s = {size / 1e6 / dt:.1f} MB/s")
    finally:
        os.unlink(big)


if __name__ == "__main__":
    sys.exit(main())
