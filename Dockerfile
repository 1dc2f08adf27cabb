# syntax=docker/dockerfile:1
# Build: docker build -t kosodate-concierge .   Run: docker run -p 3000:3000 --env-file .env kosodate-concierge
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/kuromoji/test
# kuromoji's dictionary, decoded once into exactly-sized raw arrays (node_modules/.cache/kosodate-dict) that
# start-up reads directly: ~60 MB instead of ~300 MB and tens of ms instead of ~0.6 s (src/nlp/dictionary).
# node_modules is read-only for the app's user, so this has to happen here.
COPY src/nlp/tokenizer.ts src/nlp/
COPY src/nlp/dictionary src/nlp/dictionary/
COPY scripts/prepare-dict.ts scripts/
RUN node --import tsx scripts/prepare-dict.ts

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY intents ./intents
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
