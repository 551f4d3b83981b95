# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript (and the generated Prisma client) in one stage, then run
# with production dependencies only, as a non-root user, on Node 24 LTS. Migrations run at start-up.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 PROMOLY_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.json ./
COPY bin ./bin
COPY prisma ./prisma
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `migrate` applies pending migrations and exits; `all` also migrates on start, so this is belt and braces.
# After an unclean stop the data folder's lock (/data/promoly.lock, a heartbeat, not a pid) goes stale within 20 s:
# `migrate` waits for that (at most ~25 s), takes it over and releases it, then `all` takes it.
CMD ["sh", "-c", "node bin/promoly.mjs migrate && exec node bin/promoly.mjs all"]
