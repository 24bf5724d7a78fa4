# syntax=docker/dockerfile:1
#
# Production image for the Westfriesland inburgering system.
# The same image runs the migrations (docker/entrypoint-migrate.sh, as the owner role), the web
# server (docker/entrypoint-web.sh: gunicorn), the Celery worker and Celery beat;
# docker-compose.yml chooses the command per service.

# --- Front-end packages (NPM_STATIC in settings.py) -------------------------------------------
FROM node:20-bookworm-slim AS node
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Application ------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint runtime libraries and fonts for the PDFs; curl for the container health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-liberation \
        curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# Non-root runtime user. /app/media is created here, owned by the user, so a fresh named volume
# mounted on it (MEDIA_ROOT=/app/media in docker-compose.yml) inherits that ownership.
RUN groupadd --gid 1000 app \
    && useradd --uid 1000 --gid app --no-create-home --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/media /app/documents \
    && chown app:app /app/media /app/documents

COPY --from=node /build/node_modules ./node_modules
COPY . .

# Static files are collected at build time; WhiteNoise serves them from /app/staticfiles.
# The values on this line only satisfy settings.py's production checks: nothing connects to the
# database during collectstatic and none of them end up in the image's environment.
# design-tokens' background-image-icon.css is skipped: it references pijltje*.svg files that the
# npm package does not ship, which makes the manifest storage's post-processing fail; no template
# uses it.
RUN DJANGO_ENV=production \
    SECRET_KEY=build-only \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput --ignore background-image-icon.css

USER app

EXPOSE 8000

# --no-control-socket: gunicorn (>= 25.1) otherwise tries to create ~/.gunicorn/gunicorn.ctl, and
# the app user's home (/app) is not writable; the gunicornc control interface is not used here.
CMD ["gunicorn", "westfriesland.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "common.logging.GunicornLogger", "--no-control-socket"]
