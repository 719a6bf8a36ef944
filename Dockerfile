# Mentorbot: docker build -t mentorbot . && docker run --env-file .env -v mentorbot-data:/data -p 3000:3000 mentorbot
# The SQLite file lives in /data (the working directory); set DATABASE_URL to use PostgreSQL instead.

# --- build: turn the project and its dependencies into wheels -------------------------------------------
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY app ./app
COPY migrations ./migrations
RUN pip wheel --wheel-dir /wheels .

# --- run: the wheels installed, no sources, no build tools, not root ------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 mentorbot \
    && useradd --system --uid 10001 --gid mentorbot --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin mentorbot \
    && mkdir /data \
    && chown mentorbot:mentorbot /data

RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels mentorbot

WORKDIR /data
VOLUME ["/data"]
USER mentorbot:mentorbot

EXPOSE 3000

# slim has no curl: ask Python. Follows PORT when it is changed; any answer but 2xx/3xx fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

ENTRYPOINT ["mentorbot"]
CMD ["run"]
