/**
 * Writes generated data as a Text module (one entry a line, LF) and reads it back the way the code that uses it
 * does, through the Text-module hooks, failing unless every line round-trips.
 */
import { writeFileSync } from "node:fs";

export async function writeTextModule(target: URL, lines: string[]): Promise<void> {
  if (lines.some((line) => /[\r\n]/.test(line))) throw new Error("an entry contains a line break");
  writeFileSync(target, `${lines.join("\n")}\n`);
  await import("./text-modules.ts");
  const { default: text } = (await import(target.href)) as { default: string };
  const readBack = text.split("\n").filter((line) => line !== "");
  if (readBack.length !== lines.length || readBack.some((line, index) => line !== lines[index])) {
    throw new Error(`${target.pathname} does not round-trip`);
  }
}
