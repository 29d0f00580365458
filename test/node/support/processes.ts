import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { type ProcessEntry, processTable } from "../../../scripts/cli/process-group.ts";

/** A port nothing listens on now (the kernel's choice for port 0, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A port held by this process until `close()`: what a script finds when its port is taken. */
export function busyPort(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const holder: Server = createServer();
    holder.once("error", reject);
    holder.listen(0, "127.0.0.1", () => {
      const { port } = holder.address() as { port: number };
      resolve({ port, close: () => new Promise((done) => holder.close(() => done())) });
    });
  });
}

/** Whether a port can be listened on again. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

interface ProcessInfo extends ProcessEntry {
  command: string;
}

function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of processTable() ?? []) {
    try {
      const command = readFileSync(`/proc/${entry.pid}/cmdline`, "utf8").replaceAll("\0", " ");
      found.push({ ...entry, command });
    } catch {
      // Ended while being read.
    }
  }
  return found;
}

/** Every live process below `root` (children, their children, …), with its command line. */
export function descendantsOf(root: number): ProcessInfo[] {
  const all = processes().filter((process) => process.state !== "Z");
  const below: ProcessInfo[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const children = all.filter((process) => frontier.includes(process.ppid));
    below.push(...children);
    frontier = children.map((child) => child.pid);
  }
  return below;
}

/** Those of `pids` still running (an unreaped zombie runs nothing and holds no port). */
export function stillRunning(pids: number[]): ProcessInfo[] {
  const wanted = new Set(pids);
  return processes().filter((process) => wanted.has(process.pid) && process.state !== "Z");
}

export interface NpmRun {
  child: ChildProcess;
  output(): string;
  /** Settles with the exit code (or the signal's name) when npm has exited. */
  exited: Promise<number | string>;
  /** Settles once the output matches `pattern`; rejects after `timeoutMs` or when npm exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
}

/**
 * `npm run <script> -- <args>` as a person or a tool starts it: the test signals the npm process itself. npm is a
 * group leader of its own, so that the test can sweep up whatever a failure leaves behind.
 */
export function npmRun(script: string, args: string[], env: Record<string, string | undefined>): NpmRun {
  const child = spawn("npm", ["run", script, "--", ...args], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          cleanup();
          reject(new Error(`npm exited (${code}) before ${pattern}; output:\n${output}`));
        });
        listeners.add(check);
        check();
      });
    },
  };
}

/** Waits until `condition` holds, polling, for at most `timeoutMs`; answers whether it held. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills (SIGKILL) whatever of `pids` still runs: a failed test must not leave servers behind. */
export function sweep(pids: number[]): void {
  for (const { pid } of stillRunning(pids)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
