import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort } from '#functions/local/free-port';

export interface RuntimeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Every process below the runtime's (DynamoDB Local's watchdog and Java). */
  descendants(): number[];
  commandOf(pid: number): string;
  /** Sends a signal and resolves with the exit code once it has exited. */
  signal(signal: NodeJS.Signals): Promise<number | null>;
}

const childrenOf = (pid: number): number[] => {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
};

const descendantsOf = (pid: number): number[] =>
  childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm start` as a user runs it (main.ts on this Node), on a free port with its own data folder. */
export const startRuntimeProcess = async (dataDir: string, args: string[] = []): Promise<RuntimeProcess> => {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'functions/local/main.ts', '--port', String(port), ...args],
    {
      env: { ...process.env, CHANNELKIT_DATA_DIR: dataDir, QUIET: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('ChannelKit is running')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`runtime did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    descendants: () => (child.pid ? descendantsOf(child.pid) : []),
    commandOf: (pid: number) => {
      try {
        return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    },
    signal: async (signal) => {
      child.kill(signal);
      return exited;
    },
  };
};
