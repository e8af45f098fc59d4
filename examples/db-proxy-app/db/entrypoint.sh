#!/usr/bin/env bash
# Starts MariaDB on the data volume, initialising the volume first when it is empty.
#
# First start (no system tables in /var/lib/mysql): the variables the official mysql image reads
# are applied once:
#   MYSQL_ROOT_PASSWORD   required; root's password (root may connect from any host)
#   MYSQL_DATABASE        optional; a database to create
#   MYSQL_USER            optional, with MYSQL_PASSWORD; a user with all rights on MYSQL_DATABASE
# Later starts use the data as it is: changing the variables does not change existing accounts.
#
# The initialisation happens in a staging directory inside the volume and is moved into place
# only when it is complete, so a container stopped half-way through its first start starts over
# cleanly next time instead of serving a half-made database.
set -euo pipefail

readonly datadir=/var/lib/mysql
readonly staging=$datadir/.initialising
readonly init_socket=/run/mysqld/initialising.sock

log() { echo "db: $*" >&2; }
fail() { log "$*"; exit 1; }

# Anything other than the server (e.g. `docker compose run db bash`) runs as asked.
case "${1:-}" in
  -*) set -- mariadbd "$@" ;;
  mariadbd | mysqld) ;;
  *) exec "$@" ;;
esac

# A bind-mounted data directory may belong to someone else; the server runs as mysql.
mkdir -p /run/mysqld
chown mysql:mysql /run/mysqld "$datadir"

# Backslashes and single quotes escaped, for a value inside '...' in SQL.
sql_string() {
  local value=${1//\\/\\\\}
  printf "'%s'" "${value//\'/\\\'}"
}
# Backticks doubled, for a name inside `...` in SQL.
sql_name() {
  # shellcheck disable=SC2016 # literal backticks, SQL's identifier quotes
  printf '`%s`' "${1//\`/\`\`}"
}

check_variables() {
  [ -n "${MYSQL_ROOT_PASSWORD:-}" ] ||
    fail "the data volume is empty and MYSQL_ROOT_PASSWORD is not set; set it (and optionally MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD) for the first start."
  if [ -n "${MYSQL_USER:-}" ] && [ -z "${MYSQL_PASSWORD:-}" ]; then
    fail "MYSQL_USER is set but MYSQL_PASSWORD is not; set both, or neither."
  fi
  if [ -z "${MYSQL_USER:-}" ] && [ -n "${MYSQL_PASSWORD:-}" ]; then
    fail "MYSQL_PASSWORD is set but MYSQL_USER is not; set both, or neither."
  fi
  [ "${MYSQL_USER:-}" != root ] ||
    fail "MYSQL_USER must not be root; root is configured with MYSQL_ROOT_PASSWORD."
}

first_start_sql() {
  local root_password
  root_password=$(sql_string "$MYSQL_ROOT_PASSWORD")
  # The installer creates root for the local host names with an empty password; keep one local
  # root with the configured password and add the remote one the official image also has.
  echo "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost');"
  echo "DELETE FROM mysql.global_priv WHERE User = '';"
  echo "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost';"
  echo "FLUSH PRIVILEGES;"
  echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $root_password;"
  echo "CREATE USER 'root'@'%' IDENTIFIED BY $root_password;"
  echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
  if [ -n "${MYSQL_DATABASE:-}" ]; then
    echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$MYSQL_DATABASE");"
  fi
  if [ -n "${MYSQL_USER:-}" ]; then
    echo "CREATE USER $(sql_string "$MYSQL_USER")@'%' IDENTIFIED BY $(sql_string "$MYSQL_PASSWORD");"
    if [ -n "${MYSQL_DATABASE:-}" ]; then
      echo "GRANT ALL PRIVILEGES ON $(sql_name "$MYSQL_DATABASE").* TO $(sql_string "$MYSQL_USER")@'%';"
    fi
  fi
}

initialise() {
  check_variables

  # A staging directory left behind was an interrupted first start: it never served data.
  rm -rf "$staging"
  local entry
  for entry in "$datadir"/* "$datadir"/.[!.]*; do
    [ -e "$entry" ] || continue
    case "${entry##*/}" in lost+found) continue ;; esac
    fail "the data volume has no system tables but is not empty (found ${entry##*/}); it is not a MariaDB/MySQL data directory this image can initialise. Remove the volume to start over (docker compose down -v), or check which volume is mounted."
  done

  log "first start: initialising the data volume"
  mkdir "$staging"
  chown mysql:mysql "$staging"
  local output
  if ! output=$(mariadb-install-db --user=mysql --datadir="$staging" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve 2>&1); then
    echo "$output" >&2
    fail "mariadb-install-db failed (output above)."
  fi

  # A private server (no network, its own socket) applies the accounts; nobody can reach it, and
  # the healthcheck, which connects over TCP, cannot mistake it for the real one.
  mariadbd --user=mysql --datadir="$staging" --skip-networking --socket="$init_socket" \
    --pid-file=/run/mysqld/initialising.pid &
  local pid=$!
  local tries=0
  until mariadb-admin --socket="$init_socket" --user=root ping --silent >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "the server stopped while initialising (its log is above)."
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || fail "the server did not answer within 60 s while initialising."
    sleep 0.2
  done

  if ! first_start_sql | mariadb --socket="$init_socket" --user=root --batch; then
    fail "configuring the root password, database and user failed (error above)."
  fi
  MYSQL_PWD=$MYSQL_ROOT_PASSWORD mariadb-admin --socket="$init_socket" --user=root shutdown
  wait "$pid" || fail "the initialising server did not shut down cleanly."

  # The system tables move last: their presence is what marks the volume as initialised.
  for entry in "$staging"/* "$staging"/.[!.]*; do
    [ -e "$entry" ] || continue
    [ "${entry##*/}" = mysql ] || mv "$entry" "$datadir/"
  done
  mv "$staging/mysql" "$datadir/mysql"
  rmdir "$staging"
  log "first start: database ${MYSQL_DATABASE:-(none)} and user ${MYSQL_USER:-(none)} created"
}

if [ ! -d "$datadir/mysql" ]; then
  initialise
fi

exec "$@"
