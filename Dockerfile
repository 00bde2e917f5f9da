# OpenIOP production image: gunicorn for the web, the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DEBUG=0 \
    DEVDATA=0 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

# Everything but .dockerignore's list: no demo or load data (devdata/).
COPY . .

# Static files are collected at build time and served by WhiteNoise.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --no-input

# /app/var/fhir-export: the FHIR bulk export's files, a volume the web and
# the worker share (docker-compose.yml); made here so it belongs to the user.
RUN useradd --system --uid 1000 --home /app openiop \
    && mkdir -p /app/var/fhir-export && chown -R openiop /app
USER openiop

EXPOSE 8000
CMD ["gunicorn", "iop.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
