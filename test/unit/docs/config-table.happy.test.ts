import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { configRows, configSection, renderConfigTable, tableCells } from "../../../scripts/docs/config-table";

const README = fileURLToPath(new URL("../../../README.md", import.meta.url).href);

describe("the README's configuration table", () => {
  it("is the one generated from the configuration schema (run `npm run docs:config` after changing it)", () => {
    const readme = readFileSync(README, "utf8");
    expect(tableCells(configSection(readme))).toEqual(tableCells(renderConfigTable()));
  });

  it("lists every variable the Worker reads, required ones marked, with bounds taken from the schema", () => {
    const rows = configRows();
    expect(rows).toHaveLength(30);
    expect(rows.find((row) => row.variable === "JWT_SECRET")).toMatchObject({ kind: "secret", required: true });
    expect(rows.find((row) => row.variable === "RESERVATION_TTL_SECONDS")).toMatchObject({
      required: false,
      default: "`900`",
      rules: expect.stringMatching(/^1–86400\. /),
    });
  });

  it("calls every secret a deployed environment requires a secret, and every [vars] value a var", () => {
    const rows = new Map(configRows().map((row) => [row.variable, row.kind]));
    for (const env of ["staging", "production"]) {
      const config = unstable_readConfig({ config: "wrangler.toml", env });
      for (const secret of config.secrets?.required ?? []) expect(rows.get(secret), secret).toMatch(/secret/);
      for (const variable of Object.keys(config.vars)) expect(rows.get(variable), variable).toMatch(/^var/);
    }
  });
});
