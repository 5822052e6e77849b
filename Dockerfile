# Two images from one file: `--target api` and `--target worker`.
# Both need DATABASE_URL; the embedded PostgreSQL is for local `npm start` only
# (its binaries are optional dependencies, left out here).
# Build and run: docs/operations.md, "Images"; `npm run images:check` builds both
# and runs them as docker-compose.dev.yml does.

# The workspace packages' package.json files alone: `npm ci` needs them, and the
# install layer below then changes only when a manifest does, not a source file.
FROM node:24-bookworm-slim AS manifests
WORKDIR /app
COPY packages ./packages
RUN find packages -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY --from=manifests /app/packages ./packages
# `npm ci` installs exactly what the lock lists, and fails if the lock has drifted;
# the workspace packages are linked into node_modules/@tariff.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
# The workspace packages run from their TypeScript sources (the tariff-source
# export condition), so no dist/ is built or copied; .dockerignore leaves out tests.
COPY packages ./packages
COPY src ./src
COPY tasks ./tasks
COPY migrations ./migrations
USER node
ENV HOST=0.0.0.0
# TypeScript runs as is: Node 24 strips types natively. A 4 MB young generation,
# and two malloc arenas (glibc makes up to 8 per core, which a process that
# rebuilds megabytes of response bodies on every catalog change fragments), keep
# an API instance with the full catalog under 150 MB resident (BENCHMARKS.md);
# package.json's start scripts set the same.
ENV MALLOC_ARENA_MAX=2
# The role is the command: `api`, `worker` or `migrate` (as the schema owner, then exit).
ENTRYPOINT ["node", "--conditions=tariff-source", "--max-semi-space-size=4", "src/main.ts"]

FROM base AS api
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT ?? 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["api"]

FROM base AS worker
STOPSIGNAL SIGTERM
CMD ["worker"]
