import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findOnPath, stopProcess } from './processes.js';

/** redis-server and redis-cli on PATH, or undefined when either is missing. */
export function clusterTools(): { server: string; cli: string } | undefined {
  const server = findOnPath('redis-server');
  const cli = findOnPath('redis-cli');
  return server && cli ? { server, cli } : undefined;
}

export interface TestRedisCluster {
  /** `127.0.0.1:N1,127.0.0.1:N2,127.0.0.1:N3`, the form REDIS_CLUSTER_NODES takes. */
  nodes: string;
  ports: number[];
  /** Stops every redis-server and removes the temporary directory. Safe to call more than once. */
  stop(): Promise<void>;
}

function listen(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** A loopback port that is free, and whose cluster bus port (port + 10000) is free as well. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 35_000);
    if (taken.has(port) || taken.has(port + 10_000) || taken.has(port - 10_000)) continue;
    const a = await listen(port);
    const b = a && (await listen(port + 10_000));
    await Promise.all([a, b].map((s) => s && new Promise<void>((r) => s.close(() => r()))));
    if (a && b) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port pair for a cluster node');
}

function run(file: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs }, (err, stdout, stderr) =>
      err ? reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
    );
  });
}

/**
 * Starts a throwaway 3-master Redis Cluster on free loopback ports (no persistence, files in a temporary directory)
 * and resolves once every node reports `cluster_state:ok`. Whatever was started is stopped again if this fails.
 */
export async function startRedisCluster(tools: { server: string; cli: string }, timeoutMs = 20_000): Promise<TestRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kc-cluster-'));
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  // Last resort should the test process exit without stopping the cluster.
  process.once('exit', killAll);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(children.map(stopProcess));
    process.removeListener('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const taken = new Set<number>();
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) ports.push(await freeClusterPort(taken));
    for (const port of ports) {
      const child = spawn(
        tools.server,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      const keep = (chunk: Buffer) => output.push(`[${port}] ${chunk.toString()}`.slice(-2000));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
    }

    const deadline = Date.now() + timeoutMs;
    const until = async (what: string, check: () => Promise<boolean>) => {
      for (;;) {
        if (children.some((c) => c.exitCode !== null)) throw new Error(`a cluster redis-server exited while waiting for ${what}`);
        if (await check().catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
      }
    };
    for (const port of ports) await until(`redis-server on ${port}`, async () => (await run(tools.cli, ['-p', String(port), 'ping'], 2000)).trim() === 'PONG');

    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await run(tools.cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], timeoutMs);
    await until('cluster_state:ok on every node', async () => {
      const infos = await Promise.all(ports.map((p) => run(tools.cli, ['-p', String(p), 'cluster', 'info'], 2000)));
      return infos.every((info) => /cluster_state:ok/.test(info) && /cluster_known_nodes:3/.test(info));
    });
    return { nodes: addresses.join(','), ports, stop };
  } catch (err) {
    await stop();
    throw new Error(`could not start a Redis Cluster: ${(err as Error).message}\n${output.join('').slice(-3000)}`);
  }
}
