/**
 * V8 flags the server runs with (Dockerfile, `npm start`, and the bench's app processes, so it measures the same).
 * A larger young generation: each message allocates a few hundred KB (HTTP, Redis replies, analysis) that
 * die young; with the default 16 MB semi-space V8 scavenged so often that GC took ≈ 15 % of the CPU under load.
 */
export const APP_NODE_FLAGS = ['--max-semi-space-size=32'] as const;
