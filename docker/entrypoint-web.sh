#!/bin/sh
# Web container start: refuse to serve an unmigrated database, then hand the process over to
# gunicorn. The migrate service (docker/entrypoint-migrate.sh, as the owner role) ran before; this
# process connects as the app role, which cannot change the schema. Worker and beat depend on this
# container being healthy, so they start on a migrated database.
# Arguments, if any, are appended to the gunicorn command line (e.g. --workers 5).
# --no-control-socket: see the CMD in the Dockerfile.
set -eu

python manage.py migrate --check

exec gunicorn westfriesland.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers 3 \
    --access-logfile - \
    --logger-class common.logging.GunicornLogger \
    --no-control-socket \
    "$@"
