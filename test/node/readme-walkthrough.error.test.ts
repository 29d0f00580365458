import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWalkthrough, walkthroughBlocks } from "./support/readme-walkthrough.ts";

/** A README in miniature: a step that works, one that is not part of the walkthrough, and one the server refuses. */
const README = [
  "# Shop",
  "```sh no-run",
  "exit 3",
  "```",
  "```sh",
  "B=$API",
  "ID=$(curl -s $B/items/1 | tr -d '\\n')",
  "```",
  "Prose between blocks.",
  "```json",
  '{"not": "shell"}',
  "```",
  "```sh",
  'echo "item $ID"',
  "curl -s $B/missing",
  'echo "not reached"',
  "```",
].join("\n");

describe("running the README's walkthrough", () => {
  let server: Server;
  let api: string;

  beforeAll(async () => {
    server = createServer((request, reply) => {
      if (request.url === "/items/1") {
        reply.writeHead(200, { "content-type": "text/plain" }).end("itm_1\n");
      } else {
        reply.writeHead(404, { "content-type": "application/problem+json" }).end('{"type":"urn:x:not_found"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("takes the sh blocks in order and leaves out the ones marked no-run", () => {
    expect(walkthroughBlocks(README).map((block) => block.readmeLine)).toEqual([5, 13]);
  });

  it("stops at a request the server refuses and names the block, its line and what the server said", async () => {
    const run = await runWalkthrough(walkthroughBlocks(README), { API: api }, 20_000);
    expect(run.ok).toBe(false);
    expect(run.output).toContain("item itm_1");
    expect(run.output).not.toContain("not reached");
    expect(run.failure).toContain("the block at README.md line 13 (its line 2)");
    expect(run.failure).toContain("curl -s $B/missing");
    expect(run.failure).toContain('{"type":"urn:x:not_found"}');
  });

  it("stops at a refused request inside a captured pipeline too", async () => {
    const capture = [
      "```sh",
      "B=$API",
      'echo "start"',
      "ID=$(curl -s $B/missing \\",
      "  | tr -d '\\n')",
      'echo "id $ID"',
      "```",
    ];
    const run = await runWalkthrough(walkthroughBlocks(capture.join("\n")), { API: api }, 20_000);
    expect(run.ok).toBe(false);
    expect(run.output).not.toContain("id ");
    // The problem itself went into the variable: the walkthrough's test shows the last responses it recorded.
    expect(run.failure).toContain("the block at README.md line 1 (its line 4)");
    expect(run.failure).toContain("curl: (22) The requested URL returned error: 404");
  });

  it("succeeds when every step does", async () => {
    const run = await runWalkthrough(walkthroughBlocks(README).slice(0, 1), { API: api }, 20_000);
    expect(run).toMatchObject({ ok: true, failure: "" });
  });
});
