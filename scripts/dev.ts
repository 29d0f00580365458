/**
 * `npm run dev`: the local libSQL server on `.data/dev.db` (LIBSQL_DB_PATH,
 * port LIBSQL_PORT), migrations, the demo catalog on a fresh database, then
 * `wrangler dev` pointed at it (port PORT; arguments after `--` go to
 * wrangler). Development secrets are generated once into
 * `.data/dev-secrets.json` (prefixed so production refuses them) unless
 * `.dev.vars` sets them. The banner is printed once the API answers.
 *
 * SIGINT (Ctrl-C) and SIGTERM stop everything it started: wrangler and workerd
 * (their own process group, signalled and waited for as a whole) and the
 * database server; then it exits 0, a requested stop being no failure.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { type LibsqlServer, startLibsqlServer } from "@edge-commerce/libsql-server";
import { DEV_SECRET_PREFIX } from "../src/platform/config.ts";
import { type CommandContext, failWith } from "./cli/command.ts";
import { spawnGroup, stopGroup } from "./cli/process-group.ts";
import { migrateDatabase } from "./db/migrate-database.ts";
import { copyDocsAssets } from "./docs/copy-docs-assets.ts";
import { catalogIsEmpty, seedDemoCatalog } from "./seed/seed-demo-catalog.ts";

const DATA_DIR = ".data";
const SECRETS_FILE = `${DATA_DIR}/dev-secrets.json`;
const GENERATED_SECRETS = {
  JWT_SECRET: () => randomBytes(32).toString("hex"),
  TOTP_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
} as const;
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
/** How long wrangler may take to answer its first request (a cold build on a slow machine). */
const API_START_TIMEOUT_MS = 120_000;

const apiPort = Number(process.env.PORT ?? 8787);
const databasePort = Number(process.env.LIBSQL_PORT ?? 8080);
const context: CommandContext = { ports: { [apiPort]: "PORT", [databasePort]: "LIBSQL_PORT" } };

function devVars(): Record<string, string | undefined> {
  return existsSync(".dev.vars") ? parseEnv(readFileSync(".dev.vars", "utf8")) : {};
}

function developmentSecrets(): Record<string, string> {
  const stored: Record<string, string> = existsSync(SECRETS_FILE) ? JSON.parse(readFileSync(SECRETS_FILE, "utf8")) : {};
  let changed = false;
  for (const [name, generate] of Object.entries(GENERATED_SECRETS)) {
    if (!stored[name]) {
      stored[name] = `${DEV_SECRET_PREFIX}${generate()}`;
      changed = true;
    }
  }
  if (changed) writeFileSync(SECRETS_FILE, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return stored;
}

/** Fails with EADDRINUSE (and the port) when something already listens where wrangler would, before starting it. */
function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

let server: LibsqlServer | undefined;
let wrangler: ReturnType<typeof spawnGroup> | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (wrangler) await stopGroup(wrangler, "SIGTERM");
    await server?.close();
    process.exit(code);
  }
  return new Promise<never>(() => undefined);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
// Whatever ran this script (tsx under npm) may be killed without passing a signal on (SIGKILL): once this process
// is handed to another parent, nobody can stop it any more, so it stops itself.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 1_000).unref();

/** Resolves once the API answers over HTTP (any status: wrangler is serving the Worker), false if wrangler ended. */
async function apiAnswers(url: string, child: NonNullable<typeof wrangler>): Promise<boolean> {
  const deadline = Date.now() + API_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      // Refused at once until wrangler listens; the first request that gets through may wait for a cold build.
      await fetch(url, { signal: AbortSignal.timeout(60_000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}

async function main(): Promise<void> {
  mkdirSync(DATA_DIR, { recursive: true });
  // The docs page's script is served from public/ (git-ignored): current before wrangler serves it.
  copyDocsAssets();
  const overrides = devVars();
  const externalDatabase = process.env.DATABASE_URL ?? overrides.DATABASE_URL;
  await ensurePortFree(apiPort);

  server = externalDatabase
    ? undefined
    : await startLibsqlServer({ databasePath: process.env.LIBSQL_DB_PATH ?? `${DATA_DIR}/dev.db`, port: databasePort });
  const databaseUrl = externalDatabase ?? (server as LibsqlServer).url;
  context.databaseUrl = databaseUrl;
  await migrateDatabase(databaseUrl, process.env.DATABASE_AUTH_TOKEN ?? overrides.DATABASE_AUTH_TOKEN);
  // A newcomer's first run shows a real catalog; a database that has products is left alone.
  if (server && (await catalogIsEmpty(databaseUrl))) {
    console.log(`Fresh database: loaded ${await seedDemoCatalog(databaseUrl)} demo products (npm run db:seed).`);
  }

  const vars: Record<string, string> = {};
  if (!overrides.DATABASE_URL) vars.DATABASE_URL = databaseUrl;
  for (const [name, value] of Object.entries(developmentSecrets())) {
    if (!overrides[name]) vars[name] = value;
  }

  if (stopping) return;
  // Its own process group (workerd joins it), not reading the terminal: a group in the background that read it
  // would be stopped by the terminal (SIGTTIN), so wrangler's key shortcuts are off.
  const child = spawnGroup(
    process.execPath,
    [
      WRANGLER,
      "dev",
      "--port",
      String(apiPort),
      "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      ...process.argv.slice(2),
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  wrangler = child;
  child.on("exit", (code) => void stop(code ?? 1));

  if (!(await apiAnswers(`http://127.0.0.1:${apiPort}/health`, child))) {
    if (!stopping) console.error(`dev: the API did not answer on port ${apiPort}; stopping.`);
    await stop(1);
  }
  console.log(
    [
      "",
      `  Database  ${server ? `${server.url} (libSQL server on ${server.databasePath})` : new URL(databaseUrl).host}`,
      `  API       http://localhost:${apiPort}`,
      `  Docs      http://localhost:${apiPort}/docs`,
      "",
    ].join("\n"),
  );
}

await main().catch(async (error: unknown) => {
  if (wrangler) await stopGroup(wrangler, "SIGTERM");
  await server?.close();
  failWith("dev", error, context);
});
