# Shared by scripts/run and scripts/test: the venv and the project-local Postgres and Redis.
# Sourced, not executed. Everything lives under .local/ (git-ignored) unless said otherwise.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
PG_PORT="${SRM_PG_PORT:-54329}"
REDIS_PORT="${SRM_REDIS_PORT:-63799}"
VENV="$ROOT/.venv"
STARTED_PG=""
STARTED_REDIS=""

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

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

# Postgres refuses to run as root: as root the cluster belongs to the OS user postgres.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_paths() {
  PG_DATA="$LOCAL/pg/data"
  PG_RUN="$LOCAL/pg/run"
  # The postgres user must be able to reach the data folder; a checkout in a private
  # folder (e.g. under /root) is not, so the cluster then lives in /var/tmp instead.
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    local alt="/var/tmp/srmonitor-$(echo "$ROOT" | sha256sum | cut -c1-12)"
    PG_DATA="$alt/data"; PG_RUN="$alt/run"
  fi
}

pg_start() {
  pg_paths
  local bin; bin="$(pg_bindir)"
  mkdir -p "$(dirname "$PG_DATA")" "$PG_RUN"
  [ "$(id -u)" = 0 ] && chown postgres: "$(dirname "$PG_DATA")" "$PG_RUN"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    say "Creating the local PostgreSQL cluster"
    as_pg_owner "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    say "Starting PostgreSQL (unix socket in $PG_RUN, port $PG_PORT)"
    # No TCP: only the socket, in a folder that only the cluster's owner (and root) can enter.
    as_pg_owner "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/../postgres.log" -w \
      -o "-p $PG_PORT -k $PG_RUN -c listen_addresses='' -c unix_socket_permissions=0700 -c fsync=${SRM_PG_FSYNC:-on}" start >/dev/null
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

pg_stop() {
  pg_paths
  as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

redis_start() {
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found: apt-get install redis-server"
  mkdir -p "$LOCAL/redis"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    say "Starting Redis (127.0.0.1:$REDIS_PORT)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$LOCAL/redis" \
      --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/redis/redis.log" --save "" --appendonly no >/dev/null
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    STARTED_REDIS=1
  fi
}

redis_stop() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

# A development secret, made once per checkout and never committed.
dev_secret_key() {
  mkdir -p "$LOCAL"
  [ -s "$LOCAL/secret_key" ] || "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$LOCAL/secret_key"
  chmod 600 "$LOCAL/secret_key"
  cat "$LOCAL/secret_key"
}
