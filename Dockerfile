# Two images from one file: `--target api` and `--target worker`.
# Both need DATABASE_URL; the embedded PostgreSQL is for local `npm start` only
# (its binaries are optional dependencies, left out here).
FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# `npm ci` installs exactly what the lock lists, and fails if the lock has drifted.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY tasks ./tasks
COPY migrations ./migrations
USER node
# TypeScript runs as is: Node 24 strips types natively. A 4 MB young generation
# keeps an API instance with the full catalog under 150 MB resident (BENCHMARKS.md).
ENV HOST=0.0.0.0

FROM base AS api
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT ?? 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "src/main.ts", "api"]

FROM base AS worker
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "src/main.ts", "worker"]
