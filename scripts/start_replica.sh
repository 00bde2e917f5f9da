#!/usr/bin/env bash
# A streaming replica (hot standby) of the PostgreSQL server on
# 127.0.0.1:5432, on 127.0.0.1:${REPLICA_PORT:-5433}: a second cluster made
# with pg_basebackup from the first. CI starts it so that the replica tests
# (tests/test_replica.py) run against a real one; run it by hand for the same.
#
#   bash scripts/start_replica.sh      # then DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<db>
#
# Needs the Debian PostgreSQL server packages and root (the cluster runs as
# the postgres user). Idempotent: a replica that answers is left alone.
set -euo pipefail

PORT="${REPLICA_PORT:-5433}"
DIR="${REPLICA_DIR:-/var/lib/postgresql/openiop-replica}"
LOG="${DIR}.log"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    echo "replica: already answering on port $PORT"
    exit 0
fi

# The primary must accept replication connections from this host.
hba="$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    psql -h 127.0.0.1 -U postgres -tAc 'SELECT pg_reload_conf()' >/dev/null
fi

# A stale copy (a machine restarted) is taken again rather than repaired.
if [ -d "$DIR" ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$DIR" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
fi
install -d -o postgres -g postgres -m 700 "$DIR"
runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D "$DIR" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast

# Debian keeps a cluster's configuration outside its data directory, so the
# copy has none: a minimal one for a local standby.
cat >"$DIR/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
# Long reads on the standby (a bulk export) are not cancelled by the
# primary's vacuum: the standby tells the primary what it still reads.
hot_standby_feedback = on
max_connections = 200
shared_buffers = 256MB
jit = off
CONF
cat >"$DIR/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
chown postgres:postgres "$DIR/postgresql.conf" "$DIR/pg_hba.conf"
install -d -o postgres -g postgres /var/run/postgresql

runuser -u postgres -- "$bin/pg_ctl" -D "$DIR" -l "$LOG" -w start >/dev/null
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 1; done
psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc 'SELECT pg_is_in_recovery()' | grep -q t
echo "replica: streaming from 127.0.0.1:5432 on port $PORT"
