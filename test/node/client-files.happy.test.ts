import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_FILES, type ClientFiles, clientFiles, servedDocument } from "../../scripts/client/client-files.ts";

const FILES: (keyof ClientFiles)[] = ["document", "schema"];

/** Where two texts first part, for a failure message that says more than "differs" without printing 300 kB. */
function firstDifference(committed: string, current: string): string {
  const left = committed.split("\n");
  const right = current.split("\n");
  const line = left.findIndex((text, index) => text !== right[index]);
  const at = line === -1 ? left.length : line;
  return `first difference at line ${at + 1}: committed ${JSON.stringify(left[at])}, now ${JSON.stringify(right[at])}`;
}

/**
 * The typed client (packages/client) is generated from the OpenAPI document the bundled Worker serves, and both
 * are committed: they must be what the Worker serves now, or the client would describe an API that no longer is.
 */
describe("the committed client files", () => {
  let generated: ClientFiles;

  beforeAll(async () => {
    generated = await clientFiles(await servedDocument());
  }, 120_000);

  it.each(FILES)("the %s is what the Worker serves and generates now", (file) => {
    const path = CLIENT_FILES[file];
    const committed = readFileSync(path, "utf8");
    const current = generated[file];
    if (committed !== current) {
      expect.fail(
        `${path} is out of date (${firstDifference(committed, current)}): run \`npm run client:generate\` and commit the result`,
      );
    }
    expect(committed).toBe(current);
  });
});
