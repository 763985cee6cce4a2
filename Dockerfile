# syntax=docker/dockerfile:1
# One image for the five roles of the engine; the role is chosen at start:
#   docker build -t cadence-engine .
#   docker run --init -e KAFKA_BROKERS=… -e SCHEMA_REGISTRY_URL=… -e DATABASE_URL=… cadence-engine enrollment
#   docker run … -e CADENCE_ROLE=enrollment cadence-engine
#   docker run … cadence-engine migrate        (one-shot: creates the database if missing, applies migrations)
# Roles: api, trigger-router, inactivity-watcher, enrollment, step-runner (docker-compose.yml runs all five with
# `--profile apps`). The build steps and the start logic are scripts (scripts/image/build.sh, entrypoint.sh),
# and scripts/image/check.sh (npm run image:check) runs exactly those outside a container.

# Same Node as the project is checked with (node --version); any node:20-bookworm-slim tag from 20.19 on works
# (NestJS 12 ships ES modules only, which CommonJS require()s from Node 20.19).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# Dependencies first, so that a source change does not reinstall them.
COPY package.json package-lock.json ./
COPY scripts/image/build.sh scripts/image/build.sh
RUN --mount=type=cache,target=/root/.npm,sharing=locked bash scripts/image/build.sh deps
COPY . .
RUN bash scripts/image/build.sh compile && bash scripts/image/build.sh assemble /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=3000
WORKDIR /app
# dist/ (the compiled apps, and the operator console's assets in dist/console), production node_modules/, schemas/, tsconfig.json, package.json, scripts/image/ (owned by root:
# read-only for the user the apps run as).
COPY --from=build /out/ /app/
USER node
EXPOSE 3000
# node is PID 1 (the entrypoint execs it) and handles SIGTERM: finishes its in-flight batch, exits 0 within
# SHUTDOWN_TIMEOUT_MS (15 s): give `docker stop` more than that (`-t 20`; compose: stop_grace_period).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/scripts/image/healthcheck.js"]
ENTRYPOINT ["/app/scripts/image/entrypoint.sh"]
