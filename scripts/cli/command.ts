/**
 * How every script ends when what it needs is not there: one line on stderr that names the fix, exit code 1, no
 * stack. Two failures are known: the database cannot be reached (nothing listens at DATABASE_URL, or its host
 * does not resolve), and a port a script would listen on is taken. Anything else is a bug and keeps its stack.
 */

/** What the failure messages refer to: the database the script talks to, and the ports it listens on. */
export interface CommandContext {
  databaseUrl?: string;
  /** Each port the script listens on, with the setting that chooses it (e.g. `{ 8080: "LIBSQL_PORT" }`). */
  ports?: Record<number, string>;
}

/** Raised by a script itself for a failure it has already put in words (one line, no stack). */
export class CommandFailure extends Error {
  override name = "CommandFailure";
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "nothing is listening there",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "its host name does not resolve",
  EAI_AGAIN: "its host name does not resolve",
  EHOSTUNREACH: "its host is unreachable",
  ETIMEDOUT: "the connection timed out",
};

/** Every error `error` stands for: its causes, and the attempts an AggregateError gathers (one per address). */
function* chain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    yield current;
    if (current instanceof AggregateError) queue.push(...current.errors);
    if (current instanceof Error) queue.push(current.cause);
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The one line for a known failure, or undefined for anything else. */
export function explainFailure(error: unknown, context: CommandContext = {}): string | undefined {
  for (const current of chain(error)) {
    if (current instanceof CommandFailure) return current.message;
    const code = codeOf(current);
    if (code === "EADDRINUSE") {
      const port = Number((current as { port?: unknown }).port);
      const setting = context.ports?.[port];
      const choose = setting ? `set ${setting} to a free port` : "choose a free port";
      return `port ${Number.isFinite(port) ? port : "(unknown)"} is already in use: stop what listens on it, or ${choose}.`;
    }
    if (code && code in UNREACHABLE && context.databaseUrl) {
      const host = new URL(context.databaseUrl).host;
      return `cannot reach the database at ${host} (${UNREACHABLE[code]}): start it with \`npm run dev\` (or \`npm run db:server\`), or set DATABASE_URL (or LIBSQL_PORT) to where it runs.`;
    }
  }
  return undefined;
}

/** Prints the one line for a known failure and exits 1; anything else is printed whole, and exits 1. */
export function failWith(name: string, error: unknown, context: CommandContext = {}): never {
  const line = explainFailure(error, context);
  console.error(line === undefined ? error : `${name}: ${line}`);
  process.exit(1);
}

/**
 * Runs a script's body: its exit code is what `main` returns (0 if nothing), and a failure ends it as `failWith`
 * says.
 */
export async function runCommand(
  name: string,
  context: CommandContext,
  main: () => Promise<number | undefined> | Promise<void>,
): Promise<never> {
  try {
    const code = await main();
    process.exit(typeof code === "number" ? code : 0);
  } catch (error) {
    failWith(name, error, context);
  }
}
