# Sourced by .ci/run: Debian's PostgreSQL server as an external database, a cluster of our own on a
# free port (no system service), with a login role that is not a superuser (it may create databases
# and roles, as the integration suite makes one database per test file and the app's own role).
# Exports VOUCH_TEST_DATABASE_URL; stops and removes the cluster when the shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_dir=$(mktemp -d /tmp/vouch-ci-pg-XXXXXX)
chown postgres:postgres "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
as_postgres() { su postgres -s /bin/bash -c "$*"; }
as_postgres "'$pg_bin/initdb' -D '$pg_dir/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null"
as_postgres "'$pg_bin/pg_ctl' -D '$pg_dir/data' -l '$pg_dir/log' -w -o \"-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1\" start >/dev/null"
trap 'as_postgres "\"$pg_bin/pg_ctl\" -D \"$pg_dir/data\" -m fast stop >/dev/null" || true; rm -rf "$pg_dir"' EXIT
as_postgres "'$pg_bin/psql' -h '$pg_dir' -p $pg_port -U postgres -qc \"create role vouch_ci login password '$pg_password' createdb createrole nosuperuser\""
as_postgres "'$pg_bin/psql' -h '$pg_dir' -p $pg_port -U postgres -qc 'create database vouch_ci owner vouch_ci'"
export VOUCH_TEST_DATABASE_URL="postgres://vouch_ci:$pg_password@127.0.0.1:$pg_port/vouch_ci"
echo "External PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port as vouch_ci (not a superuser)."
