import { afterEach, describe, expect, it, vi } from "vitest";
import { busyPort, freePort, npmRun } from "./support/processes.ts";
import { runScript } from "./support/scripts.ts";

const ADMIN_PASSWORD = "correct horse battery staple 42";

/** The whole output is one line that names the problem and the fix; no stack. */
function expectOneLine(output: string, pattern: RegExp) {
  const lines = output.trim().split("\n");
  expect(lines, output).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(output).not.toMatch(/^\s+at /m);
}

// Each test starts one or two processes through npx or npm (tsx's compile included): seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const releases: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0)) await release();
});

describe("a script whose database is not running", () => {
  const scripts: [string, string[], string | undefined][] = [
    ["scripts/db-migrate.ts", [], undefined],
    ["scripts/db-seed.ts", [], undefined],
    ["scripts/create-admin.ts", ["--email", "ada@example.com", "--username", "adaadmin"], ADMIN_PASSWORD],
  ];
  for (const [script, args, input] of scripts) {
    it(`${script}: exit 1 with one line naming the fix`, async () => {
      const port = await freePort();
      const { status, output } = await runScript(script, args, { DATABASE_URL: `http://127.0.0.1:${port}` }, input);
      expect(status).toBe(1);
      expectOneLine(
        output,
        new RegExp(
          `^[\\w:-]+: cannot reach the database at 127\\.0\\.0\\.1:${port} .*npm run dev.*DATABASE_URL.*LIBSQL_PORT`,
        ),
      );
    });
  }

  it("LIBSQL_PORT chooses the database when DATABASE_URL is not set, and the message names it", async () => {
    const port = await freePort();
    const { status, output } = await runScript("scripts/db-migrate.ts", [], {
      DATABASE_URL: "",
      LIBSQL_PORT: String(port),
    });
    expect(status).toBe(1);
    expectOneLine(output, new RegExp(`cannot reach the database at 127\\.0\\.0\\.1:${port}`));
  });
});

describe("a port already in use", () => {
  it("db:server on a busy LIBSQL_PORT: exit 1 with one line", async () => {
    const busy = await busyPort();
    releases.push(busy.close);
    const { status, output } = await runScript("scripts/db-server.ts", ["--db", ":memory:"], {
      LIBSQL_PORT: String(busy.port),
    });
    expect(status).toBe(1);
    expectOneLine(output, new RegExp(`^db:server: port ${busy.port} is already in use: .*set LIBSQL_PORT`));
  });

  for (const setting of ["LIBSQL_PORT", "PORT"] as const) {
    it(`npm run dev on a busy ${setting}: exit 1 with one line`, async () => {
      const busy = await busyPort();
      releases.push(busy.close);
      const other = await freePort();
      const ports =
        setting === "PORT" ? { PORT: busy.port, LIBSQL_PORT: other } : { PORT: other, LIBSQL_PORT: busy.port };
      const run = npmRun("dev", [], {
        PORT: String(ports.PORT),
        LIBSQL_PORT: String(ports.LIBSQL_PORT),
        LIBSQL_DB_PATH: ":memory:",
        DATABASE_URL: undefined,
        npm_config_loglevel: "silent",
      });
      expect(await run.exited).toBe(1);
      const line = run
        .output()
        .trim()
        .split("\n")
        .filter((text) => text.startsWith("dev:"));
      expect(line, run.output()).toEqual([
        expect.stringMatching(new RegExp(`^dev: port ${busy.port} is already in use: .*set ${setting} to a free port`)),
      ]);
      expect(run.output()).not.toMatch(/^\s+at /m);
    });
  }
});
