# Trent in a container. Not built on the development machines (they run no container engine): test/container
# checks what it can, the start command and the environment variables below, against the real server.
# Build: docker build -t trent .   Run: docker run -p 127.0.0.1:4599:4599 -v trent-data:/data trent

# Build stage: better-sqlite3 compiles from source, and `npm ci` builds dist/ (the prepare script).
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Run stage: the built server and its runtime dependencies, as the unprivileged `node` user.
FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
# Local-development mode in a container listens on every interface: publish the port to loopback only
# (-p 127.0.0.1:4599:4599), or configure credentials (TRENT_CONFIG) to have every signature verified.
ENV TRENT_HOST=0.0.0.0 \
    TRENT_PORT=4599 \
    TRENT_DATA_DIR=/data \
    TRENT_INSECURE_LISTEN=true
VOLUME ["/data"]
EXPOSE 4599
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["node", "dist/main.js", "health"]
# Trent stops gracefully on SIGTERM (docker stop) and logs a `ready` line with its URL once it serves.
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]
