#!/usr/bin/env bash
# Loopback git servers for the push tests. Every server binds 127.0.0.1 on the port given,
# keeps its files and pid file in DIR, and is stopped by pid; system services are never touched.
#
#   test-servers.sh seed DIR                      bare repository DIR/remote.git with one commit on main
#   test-servers.sh daemon DIR PORT               git daemon, git:// with receive-pack
#   test-servers.sh http DIR HTTP_PORT HTTPS_PORT lighttpd + git-http-backend, basic auth
#                                                 (user "tester", password in DIR/http.password),
#                                                 HTTPS with a throwaway CA (DIR/ca.pem), name localhost
#   test-servers.sh sshd DIR PORT                 OpenSSH on PORT with its own config and host key;
#                                                 accepts the client key DIR/client_ed25519;
#                                                 writes DIR/home/.ssh/known_hosts (ed25519 line)
#   test-servers.sh stop DIR                      kill every server started in DIR (by pid file)
#
# Exit status 77 means the server software is missing (install: lighttpd openssh-server
# openssh-client openssl); callers must report that loudly, not pass.
set -euo pipefail

# Close every inherited descriptor above stderr: a daemon must not keep a caller's pipe or
# socket (Foundation's Process waits on one) open after this script ends.
for fd in $(ls /proc/$$/fd 2>/dev/null); do
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
done

say() { printf 'test-servers: %s\n' "$*" >&2; }
missing() { say "missing: $*"; exit 77; }

cmd=${1:?usage: test-servers.sh seed|daemon|http|sshd|stop DIR ...}
dir=${2:?DIR missing}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

wait_port() { # PORT PIDFILE: wait until something listens on 127.0.0.1:PORT
    local port=$1 i
    for i in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    say "nothing listens on 127.0.0.1:$port"
    return 1
}

case "$cmd" in
seed)
    command -v git >/dev/null || missing git
    rm -rf "$dir/remote.git" "$dir/seed"
    git init -q --bare -b main "$dir/remote.git"
    git -C "$dir/remote.git" config http.receivepack true
    git init -q -b main "$dir/seed"
    git -C "$dir/seed" -c user.name=Seed -c user.email=seed@example.invalid commit -q --allow-empty -m "initial commit"
    git -C "$dir/seed" push -q "$dir/remote.git" main
    rm -rf "$dir/seed"
    ;;
daemon)
    port=${3:?PORT missing}
    command -v git >/dev/null || missing git
    git daemon --base-path="$dir" --export-all --enable=receive-pack --reuseaddr \
        --listen=127.0.0.1 --port="$port" --pid-file="$dir/daemon.pid" --detach \
        </dev/null >>"$dir/daemon.log" 2>&1
    wait_port "$port"
    ;;
http)
    port=${3:?HTTP_PORT missing}; tls=${4:?HTTPS_PORT missing}
    command -v lighttpd >/dev/null || [ -x /usr/sbin/lighttpd ] || missing lighttpd
    [ -e /usr/lib/lighttpd/mod_openssl.so ] || missing lighttpd-mod-openssl
    command -v openssl >/dev/null || missing openssl
    backend=$(git --exec-path)/git-http-backend
    [ -x "$backend" ] || missing git-http-backend
    pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s' "$pw" > "$dir/http.password"
    printf 'tester:%s\n' "$pw" > "$dir/htpasswd.plain"
    # Throwaway CA and a server certificate for the name localhost (P-256 keys: made in ms, not RSA's 0.1 s each).
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=context-sync-test-ca \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\n' > "$dir/san.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
        -days 2 -extfile "$dir/san.ext" -out "$dir/server.crt" 2>/dev/null
    cat "$dir/server.crt" "$dir/server.key" > "$dir/server.pem"
    cat > "$dir/lighttpd.conf" <<EOF
server.modules = ("mod_alias", "mod_setenv", "mod_auth", "mod_authn_file", "mod_cgi", "mod_openssl")
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$dir/lighttpd.pid"
server.document-root = "$dir"
server.errorlog = "$dir/lighttpd.err"
# lighttpd answers a wrong password after a delay of about a second (against guessing); the
# wrong-credential tests need no such wait.
server.feature-flags = ( "auth.delay-invalid-creds" => "disable" )
\$SERVER["socket"] == "127.0.0.1:$tls" {
    ssl.engine = "enable"
    ssl.pemfile = "$dir/server.pem"
}
alias.url = ( "/git/" => "$backend/" )
\$HTTP["url"] =~ "^/git/" {
    cgi.assign = ( "" => "" )
    setenv.add-environment = ( "GIT_PROJECT_ROOT" => "$dir", "GIT_HTTP_EXPORT_ALL" => "1" )
    auth.backend = "plain"
    auth.backend.plain.userfile = "$dir/htpasswd.plain"
    auth.require = ( "" => ( "method" => "basic", "realm" => "git", "require" => "valid-user" ) )
}
EOF
    lighttpd -f "$dir/lighttpd.conf" </dev/null >>"$dir/lighttpd.out" 2>&1
    wait_port "$port"
    wait_port "$tls"
    ;;
sshd)
    port=${3:?PORT missing}
    [ -x /usr/sbin/sshd ] || missing openssh-server
    command -v ssh-keygen >/dev/null || missing openssh-client
    command -v ssh-keyscan >/dev/null || missing openssh-client
    mkdir -p /run/sshd 2>/dev/null || true  # privilege separation directory sshd requires
    rm -f "$dir/ssh_host_ed25519_key" "$dir/client_ed25519" "$dir/client_ed25519.pub"
    ssh-keygen -q -t ed25519 -N '' -f "$dir/ssh_host_ed25519_key"
    ssh-keygen -q -t ed25519 -N '' -C context-sync-test -f "$dir/client_ed25519"
    cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
    chmod 600 "$dir/authorized_keys"
    cat > "$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
LogLevel VERBOSE
EOF
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null >>"$dir/sshd.out" 2>&1
    wait_port "$port"
    mkdir -p "$dir/home/.ssh"
    chmod 700 "$dir/home" "$dir/home/.ssh"
    # The ed25519 line first: libgit2 1.5.1 prefers the first known_hosts key type.
    ssh-keyscan -p "$port" -t ed25519 127.0.0.1 2>/dev/null > "$dir/home/.ssh/known_hosts"
    [ -s "$dir/home/.ssh/known_hosts" ] || { say "ssh-keyscan got no host key"; exit 1; }
    ;;
stop)
    # SIGTERM, then SIGKILL: a server started from a test runner may inherit a signal mask
    # that blocks SIGTERM.
    pids=()
    for f in "$dir"/*.pid; do
        [ -f "$f" ] || continue
        pid=$(cat "$f")
        case "$pid" in ''|*[!0-9]*) ;; *) pids+=("$pid"); kill "$pid" 2>/dev/null || true ;; esac
        rm -f "$f"
    done
    for i in 1 2 3 4 5 6 7 8 9 10; do
        alive=0
        for pid in "${pids[@]}"; do
            if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then alive=1; fi
        done
        [ "$alive" = 0 ] && break
        sleep 0.05
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    ;;
*)
    say "unknown command $cmd"; exit 2 ;;
esac
