# syntax=docker/dockerfile:1
# Build: docker build -t kosodate-concierge .
# Run:   docker run -p 3000:3000 --env-file .env kosodate-concierge      (or: docker compose up -d, see README)
#
# The server runs src/ compiled to plain JavaScript (dist/src, scripts/build.mjs: esbuild, one file per module); the
# runtime image also holds production dependencies, src/, knowledge/, intents/, training/ and scripts/ for the maintenance
# commands (`npm run staff:*`, `kb:check`), which run their TypeScript through tsx.
# No Chromium: it is only needed to draw the rich-menu image (`npm run richmenu`) and by browser tests, so the rich
# menu is published from a development machine or a separate job, not from this image.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- production dependencies -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs an install script (esbuild takes its binary from its
# @esbuild/<platform> package). Then drop what the server never loads: kuromoji's tests, demo and browser build
# (~23 MB; its dict/ is needed) and playwright-core, which only drives Chromium for the rich-menu image.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/kuromoji/test node_modules/kuromoji/demo node_modules/kuromoji/example node_modules/kuromoji/build \
           node_modules/playwright-core node_modules/.bin/playwright-core
# kuromoji's dictionary, decoded once into exactly-sized raw arrays (node_modules/.cache/kosodate-dict) that
# start-up reads directly: ~60 MB instead of ~300 MB and tens of ms instead of ~0.6 s (src/core/nlp/dictionary).
# node_modules is read-only for the app's user, so this has to happen here.
COPY src/core/nlp/tokenizer.ts src/core/nlp/
COPY src/core/nlp/dictionary src/core/nlp/dictionary/
COPY scripts/prepare-dict.ts scripts/
RUN node --import tsx scripts/prepare-dict.ts
# The server's JavaScript (esbuild is a production dependency; no type-check here, CI does that).
COPY src src/
COPY scripts/build.mjs scripts/
RUN node scripts/build.mjs
# The understanding models trained on the repository's knowledge base and training data (node_modules/.cache/
# kosodate-model): start-up loads them instead of training (a published version that differs trains at start).
COPY knowledge knowledge/
COPY intents intents/
COPY languages languages/
COPY training training/
COPY scripts/prepare-models.ts scripts/
RUN node --import tsx scripts/prepare-models.ts

# --- runtime -------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root and read-only for the app's user: the process cannot change its own code or knowledge base.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
COPY package.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY intents ./intents
COPY languages ./languages
COPY training ./training
COPY scripts ./scripts
# Handoffs and erases promised to parents while Redis is away wait here until done (SPOOL_DIR; owner-only). Mount a
# volume on it so they outlive the container too (docker-compose.yml does).
RUN mkdir -p /var/lib/kosodate/spool && chown -R node:node /var/lib/kosodate && chmod 700 /var/lib/kosodate/spool
ENV SPOOL_DIR=/var/lib/kosodate/spool
# The unprivileged user of the official Node images (uid 1000). tsx (maintenance commands) keeps its cache in /tmp.
USER node
EXPOSE 3000
# Liveness: /healthz answers once the HTTP server is up (loading kuromoji's dictionary takes a few seconds).
# Readiness including Redis is /readyz, for a load balancer's health check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (src/main.ts drains in-flight events, then closes Redis).
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]
