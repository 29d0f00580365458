import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ACTORS, TRANSITIONS } from "../../../src/modules/orders/status";
import { ORDER_STATUSES, type OrderStatus } from "../../../src/modules/orders/tables";

/** The ```mermaid block that follows "Order statuses" in the README, line by line. */
function diagramLines(): string[] {
  const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url).href), "utf8");
  const section = readme.indexOf("**Order statuses**");
  expect(section, "README has no **Order statuses** section").toBeGreaterThanOrEqual(0);
  const start = readme.indexOf("```mermaid\n", section);
  const end = readme.indexOf("\n```", start + 1);
  expect(start, "no mermaid block after **Order statuses**").toBeGreaterThan(section);
  const lines = readme
    .slice(start + "```mermaid\n".length, end)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  expect(lines[0]).toBe("stateDiagram-v2");
  return lines.slice(1);
}

interface Edge {
  edge: string;
  actors: string[] | null;
}

const EDGE = /^(\S+)\s*-->\s*(\S+?)(?:\s*:\s*(.*))?$/;

function diagramEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const line of diagramLines()) {
    const match = EDGE.exec(line);
    expect(match, `not an edge: ${line}`).not.toBeNull();
    const [, from, to, label] = match as RegExpExecArray;
    if (from === "[*]" || to === "[*]") continue;
    const actors = /\(([^()]*)\)$/.exec(label ?? "")?.[1];
    edges.push({
      edge: `${from} --> ${to}`,
      actors: actors === undefined ? null : actors.split(",").map((actor) => actor.trim()),
    });
  }
  return edges;
}

function tableEdges(): Map<string, readonly string[]> {
  const edges = new Map<string, readonly string[]>();
  for (const from of ORDER_STATUSES) {
    for (const [to, actors] of Object.entries(TRANSITIONS[from])) edges.set(`${from} --> ${to as OrderStatus}`, actors);
  }
  return edges;
}

describe("the README's order status diagram", () => {
  it("draws exactly the moves of the transition table, each once", () => {
    const drawn = diagramEdges().map((edge) => edge.edge);
    expect(new Set(drawn).size, "an edge is drawn twice").toBe(drawn.length);
    expect([...drawn].sort()).toEqual([...tableEdges().keys()].sort());
  });

  it("names each move's allowed actors in parentheses at the end of its label", () => {
    const table = tableEdges();
    for (const { edge, actors } of diagramEdges()) {
      expect(actors, `${edge}: no (actors) at the end of its label`).not.toBeNull();
      for (const actor of actors ?? []) expect(ACTORS, `${edge}: ${actor}`).toContain(actor);
      expect([...(actors ?? [])].sort(), edge).toEqual([...(table.get(edge) ?? [])].sort());
    }
  });
});
