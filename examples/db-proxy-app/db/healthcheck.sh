#!/usr/bin/env bash
# Healthy means the application can work: the server accepts the configured user over TCP and
# opens its database. This fails while a first start is still initialising (that server listens
# on a private socket only), so "healthy" is never reported for a half-made database.
set -euo pipefail
user=${MYSQL_USER:-root}
if [ -n "${MYSQL_USER:-}" ]; then password=${MYSQL_PASSWORD:-}; else password=${MYSQL_ROOT_PASSWORD:-}; fi
# MYSQL_PWD keeps the password off the command line (and out of `ps`).
MYSQL_PWD=$password exec mariadb --protocol=tcp --host=127.0.0.1 --user="$user" \
  --connect-timeout=3 --batch --skip-column-names \
  --execute='SELECT 1' ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} >/dev/null
