# syntax=docker/dockerfile:1
# Multi-stage build: the build stage has the toolchain better-sqlite3 needs to compile from source
# (no prebuilt binary is downloaded: .npmrc sets build-from-source); the runtime stage is non-root and
# keeps its database in the /data volume.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# `npm ci` runs the `prepare` script (the TypeScript build), which needs the sources: copy them first.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY firmware-sim ./firmware-sim
RUN npm ci
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    BRIDGE_DB=/data/bridge.db \
    BRIDGE_CONFIG=/app/config/default.yaml
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY drizzle ./drizzle
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# OCPP WebSocket, HTTP (OCPI, status page, /healthz, /metrics)
EXPOSE 9000 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.BRIDGE_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
