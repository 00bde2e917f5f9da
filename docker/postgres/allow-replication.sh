#!/bin/sh
# Run once by the postgres image when it initialises an empty volume: the
# read replica (docker-compose profile "replica") connects for replication
# with the application's user and password.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
