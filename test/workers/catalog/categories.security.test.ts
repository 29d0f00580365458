import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { categories } from "../../../src/schema";
import { signedInAdmin, signedInUser, testClient, testDb, unique } from "../support/accounts";
import { createCategory, createChain, patchCategory, uniqueSlug } from "../support/categories";
import { readProblem } from "../support/worker";

/**
 * Every category in the database, whoever made it, checked against its parent chain: the parent exists, the chain
 * reaches a root without repeating (no cycle), is at most 5 long, and `depth` and `path` are what it says.
 */
async function treeViolations(): Promise<string[]> {
  const rows = await testDb()
    .select({ id: categories.id, parentId: categories.parentId, path: categories.path, depth: categories.depth })
    .from(categories);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const violations: string[] = [];
  for (const row of rows) {
    const chain: string[] = [];
    let current: typeof row | undefined = row;
    while (current) {
      if (chain.includes(current.id)) {
        violations.push(`${row.id}: cycle through ${current.id}`);
        break;
      }
      chain.unshift(current.id);
      const parentId: string | null = current.parentId;
      current = parentId === null ? undefined : byId.get(parentId);
      if (parentId !== null && !current) violations.push(`${row.id}: parent ${parentId} missing`);
    }
    if (chain.length > 5) violations.push(`${row.id}: ${chain.length} deep`);
    if (row.depth !== chain.length) violations.push(`${row.id}: depth ${row.depth}, chain ${chain.length}`);
    if (row.path !== `/${chain.join("/")}/`) violations.push(`${row.id}: path ${row.path}, chain /${chain.join("/")}/`);
  }
  return violations;
}

describe("the category tree under concurrent moves", () => {
  it("a burst of moves that would build cycles or nest too deep leaves a tree: no cycle, depth ≤ 5, paths that match", async () => {
    const admin = await signedInAdmin();
    const [a, aChild] = await createChain(admin, 2);
    const [b, bChild] = await createChain(admin, 2);
    const [, , deep] = await createChain(admin, 3);
    if (!a || !aChild || !b || !bChild || !deep) throw new Error("chain too short");

    // A under B and B under A, alternately; and each under a category at depth 3, where a subtree holding the
    // other (three high) would reach depth 6.
    const moves = [
      ...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? { id: a.id, parent: b.id } : { id: b.id, parent: a.id })),
      ...Array.from({ length: 3 }, () => [
        { id: a.id, parent: deep.id },
        { id: b.id, parent: deep.id },
      ]).flat(),
      { id: aChild.id, parent: bChild.id },
      { id: bChild.id, parent: aChild.id },
    ];
    // In a random order: whichever order they land in, the tree must hold.
    moves.sort(() => Math.random() - 0.5);
    const responses = await Promise.all(moves.map((move) => patchCategory(admin, move.id, { parent_id: move.parent })));
    const outcomes = await Promise.all(
      responses.map(async (response) =>
        response.status === 200 ? "moved" : `${response.status} ${(await readProblem(response)).type}`,
      ),
    );

    const refusals = outcomes.filter((outcome) => outcome !== "moved");
    expect(outcomes).toContain("moved");
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect([
        "409 urn:edge-commerce:problem:category_cycle",
        "409 urn:edge-commerce:problem:category_too_deep",
      ]).toContain(refusal);
    }
    expect(await treeViolations()).toEqual([]);
  });
});

describe("admin category routes: who may call them", () => {
  const routes = (id: string) =>
    [
      ["GET", "/api/admin/categories", undefined],
      ["POST", "/api/admin/categories", { slug: uniqueSlug(), name: "Intruder" }],
      ["PATCH", `/api/admin/categories/${id}`, { name: "Intruder" }],
      ["DELETE", `/api/admin/categories/${id}`, undefined],
    ] as const;

  it("anonymous callers get 401 and signed-in non-admins 403 on every route, and nothing changes", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin, { name: "Untouched" });
    const user = await signedInUser();
    const anonymous = testClient();
    for (const [method, path, body] of routes(category.id)) {
      const init =
        body === undefined
          ? { method }
          : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      const asAnonymous = await anonymous.fetch(path, init);
      expect(asAnonymous.status, `${method} ${path}`).toBe(401);
      const asUser = await user.client.fetch(path, { ...init, token: user.tokens.access_token });
      expect(asUser.status, `${method} ${path}`).toBe(403);
    }
    const [row] = await testDb().select().from(categories).where(eq(categories.id, category.id));
    expect(row?.name).toBe("Untouched");
    const intruders = await testDb().select().from(categories).where(eq(categories.name, "Intruder"));
    expect(intruders).toEqual([]);
  });
});

describe("admin category writes: mass assignment", () => {
  it("path, depth, id and other fields the tree keeps itself are refused as unknown (422), on create and on update", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin);
    const forged = { path: "/forged/", depth: 1, id: `cat_${unique()}`, product_count: 99, created_at: "2000-01-01" };
    for (const [field, value] of Object.entries(forged)) {
      const created = await admin.client.json(
        "POST",
        "/api/admin/categories",
        { slug: uniqueSlug(), name: "Forged", [field]: value },
        admin.tokens.access_token,
      );
      expect(created.status, field).toBe(422);
      expect((await readProblem(created)).errors).toEqual([{ path: `body.${field}`, message: "Unknown field" }]);

      const patched = await patchCategory(admin, category.id, { name: "Forged", [field]: value });
      expect(patched.status, field).toBe(422);
      expect((await readProblem(patched)).errors).toEqual([{ path: `body.${field}`, message: "Unknown field" }]);
    }
    const [row] = await testDb().select().from(categories).where(eq(categories.id, category.id));
    expect(row).toMatchObject({ name: category.name, path: `/${category.id}/`, depth: 1 });
    expect(await testDb().select().from(categories).where(eq(categories.name, "Forged"))).toEqual([]);
  });
});
