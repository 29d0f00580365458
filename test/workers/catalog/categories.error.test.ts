import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { categories, productCategories } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import {
  type AdminCategory,
  createCategory,
  createChain,
  createProductIn,
  deleteCategory,
  patchCategory,
  productBody,
  uniqueSlug,
} from "../support/categories";
import { readProblem } from "../support/worker";

const problem = (code: string) => `urn:edge-commerce:problem:${code}`;

/** The rows as the database holds them: what a refused write must have left alone. */
async function stored(...ours: AdminCategory[]) {
  const rows = await testDb()
    .select({ id: categories.id, parentId: categories.parentId, path: categories.path, depth: categories.depth })
    .from(categories)
    .where(
      inArray(
        categories.id,
        ours.map((category) => category.id),
      ),
    );
  return rows.sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : 1));
}

describe("admin: categories, refused", () => {
  it("moving a category under itself or under a category below it is a 409 category_cycle, and nothing moves", async () => {
    const admin = await signedInAdmin();
    const [top, child, grandchild] = await createChain(admin, 3);
    if (!top || !child || !grandchild) throw new Error("chain too short");
    const before = await stored(top, child, grandchild);

    for (const parent of [top, child, grandchild]) {
      const response = await patchCategory(admin, top.id, { parent_id: parent.id });
      expect(response.status, parent.slug).toBe(409);
      expect((await readProblem(response)).type).toBe(problem("category_cycle"));
    }
    const self = await patchCategory(admin, child.id, { parent_id: child.id });
    expect((await readProblem(self)).type).toBe(problem("category_cycle"));
    expect(await stored(top, child, grandchild)).toEqual(before);
  });

  it("a category at depth 6 is refused on create: 409 category_too_deep", async () => {
    const admin = await signedInAdmin();
    const chain = await createChain(admin, 5);
    const deepest = chain[4];
    if (!deepest) throw new Error("chain too short");
    expect(deepest.depth).toBe(5);
    const slug = uniqueSlug();
    const response = await admin.client.json(
      "POST",
      "/api/admin/categories",
      { slug, name: "Too deep", parent_id: deepest.id },
      admin.tokens.access_token,
    );
    expect(response.status).toBe(409);
    expect((await readProblem(response)).type).toBe(problem("category_too_deep"));
    expect(await testDb().select().from(categories).where(eq(categories.slug, slug))).toEqual([]);
  });

  it("moving a subtree whose deepest category would end at depth 6 is refused, and nothing moves", async () => {
    const admin = await signedInAdmin();
    // A subtree three high, and a parent at depth 3: its deepest category would be at 3 + 3 = 6.
    const subtree = await createChain(admin, 3);
    const parents = await createChain(admin, 3);
    const [root] = subtree;
    const [, shallower, parent] = parents;
    if (!root || !shallower || !parent) throw new Error("chain too short");
    const before = await stored(...subtree);

    const response = await patchCategory(admin, root.id, { parent_id: parent.id });
    expect(response.status).toBe(409);
    expect((await readProblem(response)).type).toBe(problem("category_too_deep"));
    expect(await stored(...subtree)).toEqual(before);

    // One level higher it fits exactly: depth 5 is allowed.
    const fits = await patchCategory(admin, root.id, { parent_id: shallower.id });
    expect(fits.status, await fits.clone().text()).toBe(200);
    expect((await stored(...subtree)).map((row) => row.depth)).toEqual([3, 4, 5]);
  });

  it("an unknown parent is a 422 on body.parent_id, on create and on move", async () => {
    const admin = await signedInAdmin();
    const created = await admin.client.json(
      "POST",
      "/api/admin/categories",
      { slug: uniqueSlug(), name: "Orphan", parent_id: "cat_missing" },
      admin.tokens.access_token,
    );
    expect(created.status).toBe(422);
    expect((await readProblem(created)).errors).toEqual([{ path: "body.parent_id", message: "No such category" }]);

    const category = await createCategory(admin);
    const moved = await patchCategory(admin, category.id, { parent_id: "cat_missing" });
    expect(moved.status).toBe(422);
    expect((await readProblem(moved)).errors).toEqual([{ path: "body.parent_id", message: "No such category" }]);
    expect(await stored(category)).toEqual([{ id: category.id, parentId: null, path: `/${category.id}/`, depth: 1 }]);
  });

  it("a slug another category has is a 409 slug_conflict, on create and on rename", async () => {
    const admin = await signedInAdmin();
    const taken = await createCategory(admin);
    const created = await admin.client.json(
      "POST",
      "/api/admin/categories",
      { slug: taken.slug, name: "Twin" },
      admin.tokens.access_token,
    );
    expect(created.status).toBe(409);
    expect((await readProblem(created)).type).toBe(problem("slug_conflict"));

    const other = await createCategory(admin);
    const renamed = await patchCategory(admin, other.id, { slug: taken.slug });
    expect(renamed.status).toBe(409);
    expect((await readProblem(renamed)).type).toBe(problem("slug_conflict"));
    const [row] = await testDb().select().from(categories).where(eq(categories.id, other.id));
    expect(row?.slug).toBe(other.slug);
  });

  it("a slug that is not lower-case letters, digits and dashes (1 to 64) is a 422 on body.slug", async () => {
    const admin = await signedInAdmin();
    for (const slug of ["", "Tea", "green tea", "tea/green", "té", "a".repeat(65), 7]) {
      const response = await admin.client.json(
        "POST",
        "/api/admin/categories",
        { slug, name: "Invalid" },
        admin.tokens.access_token,
      );
      expect(response.status, JSON.stringify(slug)).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual(["body.slug"]);
    }
    const category = await createCategory(admin);
    const patched = await patchCategory(admin, category.id, { slug: "Not A Slug" });
    expect(patched.status).toBe(422);
    expect((await readProblem(patched)).errors?.map((error) => error.path)).toEqual(["body.slug"]);
  });

  it("a negative or fractional position, an empty name or an empty change is a 422", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin);
    for (const [body, path] of [
      [{ position: -1 }, "body.position"],
      [{ position: 1.5 }, "body.position"],
      [{ name: "   " }, "body.name"],
      [{}, "body"],
    ] as const) {
      const response = await patchCategory(admin, category.id, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual([path]);
    }
  });

  it("an unknown category is a 404 to PATCH and DELETE", async () => {
    const admin = await signedInAdmin();
    const patched = await patchCategory(admin, "cat_missing", { name: "Ghost" });
    expect(patched.status).toBe(404);
    expect((await readProblem(patched)).type).toBe(problem("not_found"));
    const deleted = await deleteCategory(admin, "cat_missing");
    expect(deleted.status).toBe(404);
    expect((await readProblem(deleted)).type).toBe(problem("not_found"));
  });

  it("deleting a category with products and no target is a 409 category_not_empty with the count, deleted products included", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin);
    await createProductIn(admin, [category.id]);
    const softDeleted = await createProductIn(admin, [category.id]);
    const removed = await admin.client.fetch(`/api/admin/products/${softDeleted.id}`, {
      method: "DELETE",
      token: admin.tokens.access_token,
    });
    expect(removed.status).toBe(204);

    const response = await deleteCategory(admin, category.id);
    expect(response.status).toBe(409);
    expect(await readProblem(response)).toMatchObject({ type: problem("category_not_empty"), product_count: 2 });
    expect(await stored(category)).toHaveLength(1);
    const links = await testDb().select().from(productCategories).where(eq(productCategories.categoryId, category.id));
    expect(links).toHaveLength(2);
  });

  it("deleting a category with children is a 409 category_has_children, with or without a target", async () => {
    const admin = await signedInAdmin();
    const [parent, child] = await createChain(admin, 2);
    if (!parent || !child) throw new Error("chain too short");
    const target = await createCategory(admin);
    const product = await createProductIn(admin, [parent.id]);

    for (const moveTo of [undefined, target.id]) {
      const response = await deleteCategory(admin, parent.id, moveTo);
      expect(response.status, String(moveTo)).toBe(409);
      expect((await readProblem(response)).type).toBe(problem("category_has_children"));
    }
    expect(await stored(parent, child)).toHaveLength(2);
    const links = await testDb().select().from(productCategories).where(eq(productCategories.productId, product.id));
    expect(links).toEqual([{ productId: product.id, categoryId: parent.id }]);
  });

  it("move_products_to naming the category itself or an unknown one is a 422, and nothing changes", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin);
    const product = await createProductIn(admin, [category.id]);
    for (const target of [category.id, "cat_missing"]) {
      const response = await deleteCategory(admin, category.id, target);
      expect(response.status, target).toBe(422);
      expect((await readProblem(response)).errors?.map((error) => error.path)).toEqual(["query.move_products_to"]);
    }
    expect(await stored(category)).toHaveLength(1);
    const links = await testDb().select().from(productCategories).where(eq(productCategories.productId, product.id));
    expect(links).toEqual([{ productId: product.id, categoryId: category.id }]);
  });

  it("an unknown category in a product's category_ids is a 422 on body.category_ids, on create and on PATCH", async () => {
    const admin = await signedInAdmin();
    const known = await createCategory(admin);
    const created = await admin.client.json(
      "POST",
      "/api/admin/products",
      productBody([known.id, "cat_missing"]),
      admin.tokens.access_token,
    );
    expect(created.status).toBe(422);
    expect((await readProblem(created)).errors?.map((error) => error.path)).toEqual(["body.category_ids"]);

    const product = await createProductIn(admin, [known.id]);
    const patched = await admin.client.json(
      "PATCH",
      `/api/admin/products/${product.id}`,
      { category_ids: ["cat_missing"] },
      admin.tokens.access_token,
    );
    expect(patched.status).toBe(422);
    expect((await readProblem(patched)).errors?.map((error) => error.path)).toEqual(["body.category_ids"]);
    // The batch is one transaction: the old categories were not unlinked.
    const links = await testDb().select().from(productCategories).where(eq(productCategories.productId, product.id));
    expect(links).toEqual([{ productId: product.id, categoryId: known.id }]);
  });
});
