import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url).href);
const SECRETS = [
  "DATABASE_AUTH_TOKEN",
  "JWT_SECRET",
  "JWT_SECRET_PREVIOUS",
  "TOTP_ENCRYPTION_KEY",
  "EMAIL_API_KEY",
  "STRIPE_SECRET_KEY",
  "STRIPE_WEBHOOK_SECRET",
];
/** What a deployed environment cannot start without (JWT_SECRET_PREVIOUS is only there during a rotation). */
const REQUIRED = SECRETS.filter((name) => name !== "JWT_SECRET_PREVIOUS");

/** `key = value` lines of wrangler.toml by table header; enough for its flat tables, no TOML library needed. */
function tables(): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  result.set("", current);
  for (const raw of readFileSync(join(ROOT, "wrangler.toml"), "utf8").split("\n")) {
    const line = raw.trim();
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header?.[1]) {
      current = result.get(header[1]) ?? new Map<string, string>();
      result.set(header[1], current);
      continue;
    }
    const entry = /^([A-Za-z0-9_]+)\s*=\s*(.+)$/.exec(line);
    if (entry?.[1] && entry[2]) current.set(entry[1], entry[2]);
  }
  return result;
}

describe("secrets stay out of wrangler.toml", () => {
  it("no [vars] table, top level or per environment, sets a secret", () => {
    const vars = [...tables()].filter(([name]) => name === "vars" || /^env\.\w+\.vars$/.test(name));
    expect(vars.map(([name]) => name).sort()).toEqual(["env.production.vars", "env.staging.vars", "vars"]);
    for (const [name, entries] of vars) {
      for (const secret of SECRETS) expect(entries.has(secret), `${name}.${secret}`).toBe(false);
    }
  });

  it("staging and production declare every secret as required, so a deploy without one fails", () => {
    for (const environment of ["staging", "production"]) {
      const required = tables().get(`env.${environment}.secrets`)?.get("required") ?? "[]";
      expect(JSON.parse(required), environment).toEqual(expect.arrayContaining(REQUIRED));
    }
  });

  it("the local secrets file and database are git-ignored", () => {
    const ignored = readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining([".dev.vars", ".data/"]));
  });
});
