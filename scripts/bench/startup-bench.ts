import { spawn } from 'node:child_process';
import { median } from './stats.js';

export interface StartupRun {
  /** From spawning the process to its 'ready' log line. */
  wallMs: number;
  /** What the process itself logs: from its first line of main to listening, and its RSS then. */
  startupMs: number;
  rssMb: number;
}

export interface StartupResult {
  command: string;
  runs: StartupRun[];
  wallMs: number;
  startupMs: number;
  rssMb: number;
}

/**
 * Starts the server as a fresh process (no REDIS_URL, no LINE credentials: memory store, local mode, port 0)
 * and times it to its 'ready' line; then stops it. `npm start` adds npm's launcher process and the build.
 */
export async function benchStartup(command: string[], runs: number): Promise<StartupResult> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await startOnce(command));
  return {
    command: command.join(' '),
    runs: results,
    wallMs: median(results.map((r) => r.wallMs)),
    startupMs: median(results.map((r) => r.startupMs)),
    rssMb: median(results.map((r) => r.rssMb)),
  };
}

function startOnce([cmd, ...args]: string[]): Promise<StartupRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'info',
    REDIS_URL: '',
    LINE_CHANNEL_SECRET: '',
    LINE_CHANNEL_ACCESS_TOKEN: '',
    NODE_ENV: 'production',
  };
  const started = performance.now();
  // Its own process group, so npm's children are stopped with it.
  const child = spawn(cmd!, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => finish(new Error(`no 'ready' line within 60 s:\n${err.slice(-2000)}`)), 60_000);
    let done = false;
    function finish(e: Error | undefined, run?: StartupRun) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      const settle = () => (e ? reject(e) : resolve(run!));
      if (child.exitCode !== null || child.signalCode !== null) settle();
      else child.once('exit', settle);
    }
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"ready"'));
      if (!line) return;
      const wallMs = Math.round(performance.now() - started);
      const ready = JSON.parse(line) as { startupMs: number; rssMb: number };
      finish(undefined, { wallMs, startupMs: ready.startupMs, rssMb: ready.rssMb });
    });
    child.once('exit', (code) => {
      if (!out.includes('"msg":"ready"')) finish(new Error(`exited with ${code} before 'ready':\n${err.slice(-2000)}`));
    });
  });
}
