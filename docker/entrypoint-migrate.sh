#!/bin/sh
# The migrate container (one-shot, DJANGO_DATABASE_ROLE=owner): as the owner of the tables
# (MIGRATE_DATABASE_URL), apply the migrations, then create or update the app role named in
# DATABASE_URL with normal rights everywhere and only INSERT and SELECT on the audit trail.
# Web, worker and beat connect as that app role.
set -eu

python manage.py migrate --noinput
python manage.py grant_app_role
