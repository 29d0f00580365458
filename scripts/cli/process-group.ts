/**
 * Children that start children of their own (wrangler starts workerd): each is spawned as the leader of a new
 * process group, so that stopping it reaches everything it started, however it was started, and the script
 * waits until every member is gone, not just the leader.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawns `command` in a process group of its own (its pid is the group's id). */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** One line of the process table, as /proc/<pid>/stat gives it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The process group's id. */
  pgrp: number;
  /** The state letter: "R", "S", …, "Z" for an exited process its parent has not reaped. */
  state: string;
}

/** Every process of the machine (Linux's /proc), or undefined where there is no /proc. */
export function processTable(): ProcessEntry[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const table: ProcessEntry[] = [];
  for (const pid of entries) {
    try {
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== undefined) table.push({ pid: Number(pid), ppid: Number(ppid), pgrp: Number(pgrp), state });
    } catch {
      // The process ended while the list was read.
    }
  }
  return table;
}

/**
 * Whether any process of group `pgid` still runs. An exited one its parent has not reaped yet (a zombie, "Z")
 * holds no port and runs nothing, so it does not count.
 */
function groupAlive(pgid: number): boolean {
  const table = processTable();
  if (table) return table.some((entry) => entry.pgrp === pgid && entry.state !== "Z");
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitForGroup(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Sends `signal` to the whole group of `child`, waits up to `graceMs` for every member to end, then kills what
 * is left (SIGKILL) and waits for that too.
 */
export async function stopGroup(
  child: ChildProcess,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = 5_000,
): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  signalGroup(pgid, signal);
  if (await waitForGroup(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await waitForGroup(pgid, 2_000);
}
