#!/bin/sh
# Web container start: apply migrations, then hand the process over to gunicorn.
# Worker and beat depend on this container being healthy, so they start on a migrated database.
# Arguments, if any, are appended to the gunicorn command line (e.g. --workers 5).
# --no-control-socket: see the CMD in the Dockerfile.
set -eu

python manage.py migrate --noinput

exec gunicorn westfriesland.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers 3 \
    --access-logfile - \
    --logger-class common.logging.GunicornLogger \
    --no-control-socket \
    "$@"
