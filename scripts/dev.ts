/**
 * `npm run dev`: the local libSQL server on `.data/dev.db`, migrations, the
 * demo catalog on a fresh database, then
 * `wrangler dev` pointed at it. Development secrets are generated once into
 * `.data/dev-secrets.json` (prefixed so production refuses them) unless
 * `.dev.vars` sets them. Ctrl-C stops everything.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { startLibsqlServer } from "@edge-commerce/libsql-server";
import { DEV_SECRET_PREFIX } from "../src/platform/config.ts";
import { migrateDatabase } from "./db/migrate-database.ts";
import { catalogIsEmpty, seedDemoCatalog } from "./seed/seed-demo-catalog.ts";

const DATA_DIR = ".data";
const SECRETS_FILE = `${DATA_DIR}/dev-secrets.json`;
const GENERATED_SECRETS = {
  JWT_SECRET: () => randomBytes(32).toString("hex"),
  TOTP_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
} as const;

const apiPort = Number(process.env.PORT ?? 8787);
const databasePort = Number(process.env.LIBSQL_PORT ?? 8080);

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

mkdirSync(DATA_DIR, { recursive: true });
const overrides = devVars();
const externalDatabase = process.env.DATABASE_URL ?? overrides.DATABASE_URL;

const server = externalDatabase
  ? undefined
  : await startLibsqlServer({ databasePath: `${DATA_DIR}/dev.db`, port: databasePort });
const databaseUrl = externalDatabase ?? (server as NonNullable<typeof server>).url;
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

const wrangler = spawn(
  "npx",
  [
    "wrangler",
    "dev",
    "--port",
    String(apiPort),
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ],
  { stdio: "inherit" },
);

console.log(
  [
    "",
    `  Database  ${server ? `${server.url} (libSQL server on ${server.databasePath})` : new URL(databaseUrl).host}`,
    `  API       http://localhost:${apiPort}`,
    `  Docs      http://localhost:${apiPort}/docs`,
    "",
  ].join("\n"),
);

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (wrangler.exitCode === null) wrangler.kill("SIGINT");
  await server?.close();
  process.exit(code);
}

wrangler.on("exit", (code) => void stop(code ?? 0));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
