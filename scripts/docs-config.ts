/** `npm run docs:config`: rewrites the README's configuration table from the configuration schema. */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { CONFIG_TABLE_END, CONFIG_TABLE_START, configSection, renderConfigTable } from "./docs/config-table.ts";

const readme = readFileSync("README.md", "utf8");
const old = configSection(readme);
writeFileSync(
  "README.md",
  readme.replace(
    `${CONFIG_TABLE_START}${old}${CONFIG_TABLE_END}`,
    `${CONFIG_TABLE_START}\n\n${renderConfigTable()}\n${CONFIG_TABLE_END}`,
  ),
);
execFileSync("npx", ["biome", "format", "--write", "README.md"], { stdio: "inherit" });
console.log("README.md: configuration table regenerated from src/platform/config.ts");
