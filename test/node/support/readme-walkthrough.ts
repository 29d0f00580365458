import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Block {
  /** The line of the opening fence in README.md, 1-based. */
  readmeLine: number;
  lines: string[];
}

/** The README's walkthrough: every ```sh block, in order, except those marked ```sh no-run. */
export function walkthroughBlocks(readme: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  readme.split("\n").forEach((line, index) => {
    if (current) {
      if (line.trim() === "```") {
        blocks.push(current);
        current = undefined;
      } else {
        current.lines.push(line);
      }
      return;
    }
    const fence = /^```sh(?:\s+(.*))?$/.exec(line.trim());
    if (fence && !(fence[1] ?? "").split(/\s+/).includes("no-run")) current = { readmeLine: index + 1, lines: [] };
  });
  return blocks;
}

/**
 * One bash script: strict mode, and curl failing on an HTTP error (with the problem it got) so that a step that
 * breaks stops the walkthrough there. Returns the script and, per block, its first line in the script.
 */
function walkthroughScript(blocks: Block[]): { script: string; starts: number[] } {
  const lines = [
    "set -euo pipefail",
    `trap 'echo "walkthrough: failed at script line $LINENO" >&2' ERR`,
    // An alias, not a function: the failing command stays the block's own line, which the trap reports.
    "shopt -s expand_aliases",
    "alias curl='curl --fail-with-body --show-error'",
  ];
  const starts: number[] = [];
  for (const block of blocks) {
    lines.push(`echo "### README.md line ${block.readmeLine}"`);
    starts.push(lines.length + 1);
    lines.push(...block.lines);
  }
  return { script: `${lines.join("\n")}\n`, starts };
}

function runBash(
  file: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [file], { env: { ...process.env, ...env }, detached: true });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\nwalkthrough: killed after ${timeoutMs} ms`;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

/** What a run answered: its output, and on failure which block broke, at which of its lines, and why. */
export interface WalkthroughRun {
  ok: boolean;
  output: string;
  /** Empty when it succeeded. */
  failure: string;
}

/**
 * Runs the blocks in order in one bash process (in the current directory, since blocks run npm scripts), with
 * `env` added to this process's environment; stopped after `timeoutMs`.
 */
export async function runWalkthrough(
  blocks: Block[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<WalkthroughRun> {
  const { script, starts } = walkthroughScript(blocks);
  const directory = mkdtempSync(join(tmpdir(), "readme-walkthrough-"));
  try {
    const file = join(directory, "walkthrough.sh");
    writeFileSync(file, script);
    const { status, output } = await runBash(file, env, timeoutMs);
    if (status === 0) return { ok: true, output, failure: "" };
    const failedLine = Number(/failed at script line (\d+)/.exec(output)?.[1] ?? Number.NaN);
    const index = starts.findLastIndex((start) => start <= failedLine);
    const block = blocks[index];
    const where = block
      ? `the block at README.md line ${block.readmeLine} (its line ${failedLine - (starts[index] ?? 0) + 1}):\n${block.lines.join("\n")}`
      : "no block (stopped from outside)";
    return {
      ok: false,
      output,
      failure: `The walkthrough failed (exit ${status}) in ${where}\n--- output ---\n${output.slice(-6000)}`,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
