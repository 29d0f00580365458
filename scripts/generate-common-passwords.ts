/**
 * Regenerates src/modules/accounts/common-passwords.txt from the
 * frequency-ranked password list of @zxcvbn-ts/language-common (MIT; derived
 * from public breach corpora): every entry of 8 or more characters, since
 * shorter ones fail the length rule anyway, lower-cased, most frequent first,
 * one per line. Run with `npx tsx scripts/generate-common-passwords.ts`.
 *
 * The file is data, not code: `wrangler.toml` loads it as a Text module (a
 * default-exported string) when bundling, the workers test pool honours the
 * same rule, and `scripts/text-modules.ts` teaches Node the same for
 * `npm run create-admin`. Plain text has no comment syntax, so the provenance
 * lives here and in `.gitattributes` marks it generated. Do not edit it by hand.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { writeTextModule } from "./write-text-module.ts";

const require = createRequire(import.meta.url);
const source = require
  .resolve("@zxcvbn-ts/language-common/package.json")
  .replace(/package\.json$/, "src/passwords.json");
const ranked = JSON.parse(readFileSync(source, "utf8")) as string[];
const common = ranked.filter((password) => [...password].length >= 8).map((password) => password.toLowerCase());
await writeTextModule(new URL("../src/modules/accounts/common-passwords.txt", import.meta.url), common);
console.log(`wrote ${common.length} passwords`);
