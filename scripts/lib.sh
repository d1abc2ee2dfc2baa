# Shared by scripts/run and scripts/test: the venv and the project-local Postgres and Redis.
# Sourced, not executed. Everything lives under .local/ (git-ignored) unless said otherwise.
#
# Each command owns what it starts and nothing else: scripts/run uses the "dev" services
# (Postgres cluster .local/pg, Redis on 63799), scripts/test a "test" cluster of its own
# (.local/pg-test) and a Redis on a free port, so a test run never stops the running portal.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
CHECKOUT_ID="$(echo "$ROOT" | sha256sum | cut -c1-12)"
STARTED_PG=""
STARTED_REDIS=""

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# use_services dev|test: which Postgres cluster and Redis the functions below work on.
use_services() {
  SERVICES="$1"
  case "$1" in
    dev)
      PG_PORT="${SRM_PG_PORT:-54329}"
      REDIS_PORT="${SRM_REDIS_PORT:-63799}"
      REDIS_DIR="$LOCAL/redis"
      ;;
    test)
      PG_PORT="${SRM_TEST_PG_PORT:-54339}"
      REDIS_PORT="${SRM_TEST_REDIS_PORT:-$(free_port)}"
      REDIS_DIR="$LOCAL/redis-test"
      ;;
    *) die "use_services: dev or test, not '$1'" ;;
  esac
}

# How many pytest workers scripts/test starts: SRM_TEST_WORKERS when set; one process (0) when an
# argument names a part of the suite — a path or node id that exists, or a -k selection — which
# starts sooner alone than the workers would; otherwise one worker per core ("auto"), also when
# the only arguments are options such as -x or --junitxml.
test_workers() {
  if [ -n "${SRM_TEST_WORKERS:-}" ]; then echo "$SRM_TEST_WORKERS"; return; fi
  local arg
  for arg in "$@"; do
    case "$arg" in
      -k*) echo 0; return ;;
      -*) ;;
      *) if [ -e "$ROOT/${arg%%::*}" ] || [ -e "${arg%%::*}" ]; then echo 0; return; fi ;;
    esac
  done
  echo auto
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pick_python() {
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  die "Python 3.11 or newer is required"
}

ensure_venv() {
  local stamp="$VENV/.srm-installed" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtualenv in .venv"
    "$(pick_python)" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages (pyproject.toml)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
    echo "$want" > "$stamp"
  fi
}

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] || die "PostgreSQL server binaries not found: apt-get install postgresql"
  echo "$dir"
}

# http_ok URL: does the URL answer 200 within two seconds?
http_ok() {
  python3 - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
sys.exit(urllib.request.urlopen(sys.argv[1], timeout=2).status != 200)
PY
}

# Postgres refuses to run as root: as root the cluster belongs to the OS user postgres.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A folder for this checkout that the postgres user can reach: the checkout's own .local, or
# under /var/tmp when the checkout is in a private folder (e.g. under /root).
scratch_dir() {
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    echo "/var/tmp/srmonitor-$CHECKOUT_ID"
  else
    echo "$LOCAL"
  fi
}

pg_paths() {
  local base
  base="$(scratch_dir)"
  if [ "$base" = "$LOCAL" ]; then
    [ "$SERVICES" = test ] && base="$LOCAL/pg-test" || base="$LOCAL/pg"
  else
    [ "$SERVICES" = test ] && base="$base/test"
  fi
  PG_DATA="$base/data"
  PG_RUN="$base/run"
}

# A postmaster.pid left by a killed server names a pid that may now belong to another process
# (even another postgres); pg_ctl then believes the cluster runs. The real postmaster's working
# folder is its data folder: anything else is stale.
pg_clear_stale_pid() {
  local pidfile="$PG_DATA/postmaster.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(head -n 1 "$pidfile" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(readlink -f "$PG_DATA")" ]; then
    return 0
  fi
  say "Removing a stale postmaster.pid in $PG_DATA (pid ${pid:-?} is not its server: left by a killed run)"
  rm -f "$pidfile"
}

pg_running() {
  pg_paths
  [ -s "$PG_DATA/PG_VERSION" ] || return 1
  pg_clear_stale_pid
  as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_start() {
  pg_paths
  local bin; bin="$(pg_bindir)"
  mkdir -p "$(dirname "$PG_DATA")" "$PG_RUN"
  [ "$(id -u)" = 0 ] && chown postgres: "$(dirname "$PG_DATA")" "$PG_RUN"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    say "Creating the local PostgreSQL cluster ($SERVICES)"
    as_pg_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! pg_running; then
    say "Starting PostgreSQL ($SERVICES: unix socket in $PG_RUN, port $PG_PORT)"
    # No TCP: only the socket, in a folder that only the cluster's owner (and root) can enter.
    as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/../postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $PG_RUN -c listen_addresses='' -c unix_socket_permissions=0700 -c fsync=${SRM_PG_FSYNC:-on}" \
      start >/dev/null 9>&- || die "PostgreSQL did not start; its log: $PG_DATA/../postgres.log"
    STARTED_PG=1
  fi
  chmod 700 "$PG_RUN"
  local psql=("$bin/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -qtA)
  if [ -z "$(as_pg_owner "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'srmonitor'")" ]; then
    as_pg_owner "${psql[@]}" -c "CREATE ROLE srmonitor LOGIN CREATEDB" >/dev/null
  fi
  if [ -z "$(as_pg_owner "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'srmonitor'")" ]; then
    as_pg_owner "${psql[@]}" -c "CREATE DATABASE srmonitor OWNER srmonitor" >/dev/null
  fi
  export DATABASE_URL="postgres://srmonitor@:$PG_PORT/srmonitor?host=$PG_RUN"
}

# pg_stop [mode]: fast by default; immediate for a cluster a killed run left behind.
pg_stop() {
  pg_paths
  [ -s "$PG_DATA/PG_VERSION" ] || return 0
  pg_clear_stale_pid
  as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m "${1:-fast}" -w -t 60 stop >/dev/null 2>&1 || true
}

redis_start() {
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found: apt-get install redis-server"
  mkdir -p "$REDIS_DIR"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    say "Starting Redis ($SERVICES: 127.0.0.1:$REDIS_PORT)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no >/dev/null 9>&-
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "Redis did not start; its log: $REDIS_DIR/redis.log"
    STARTED_REDIS=1
  fi
}

# Stops the Redis this command started, by its pid file: never a server on the port that is not ours.
redis_stop() {
  local pid
  pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$(command -v redis-server)")" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$REDIS_DIR/redis.pid"
}

# stop_group PGID WHAT: TERM to a process group, KILL after 15 s.
stop_group() {
  local pgid="$1" what="$2"
  kill -0 -- "-$pgid" 2>/dev/null || return 0
  say "Stopping $what (process group $pgid)"
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
}

# A development secret, made once per checkout and never committed.
dev_secret_key() {
  mkdir -p "$LOCAL"
  [ -s "$LOCAL/secret_key" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$LOCAL/secret_key"
  chmod 600 "$LOCAL/secret_key"
  cat "$LOCAL/secret_key"
}

# The Dutch catalogue: locale/*/LC_MESSAGES/django.po is reviewed in git, the .mo that Django
# reads is compiled here (scripts/run, scripts/test; the Dockerfile runs the same msgfmt).
compile_messages() {
  command -v msgfmt >/dev/null 2>&1 || die "msgfmt is missing: apt-get install gettext"
  local po
  for po in "$ROOT"/locale/*/LC_MESSAGES/django.po; do
    [ -f "$po" ] || continue
    msgfmt --check -o "${po%.po}.mo" "$po" || die "$po does not compile"
  done
}
