# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app srmonitor

WORKDIR /app
COPY pyproject.toml README.md ./
COPY srmonitor srmonitor
COPY core core
COPY accounts accounts
COPY projects projects
COPY policy policy
COPY reporting reporting
COPY notifications notifications
COPY demo demo
RUN pip install .
COPY . .
# collectstatic needs settings but no real secret or database.
# The nl catalogue is reviewed as locale/nl/LC_MESSAGES/django.po and compiled here, as scripts/ do.
RUN msgfmt --check -o locale/nl/LC_MESSAGES/django.mo locale/nl/LC_MESSAGES/django.po \
    && SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/srmonitor-beat && chown srmonitor /var/lib/srmonitor-beat

USER srmonitor
EXPOSE 8000
CMD ["gunicorn", "srmonitor.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
