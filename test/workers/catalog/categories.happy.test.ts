import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, categories } from "../../../src/schema";
import { signedInAdmin, testDb } from "../support/accounts";
import {
  type AdminCategory,
  adminCategories,
  createCategory,
  createChain,
  createProductIn,
  deleteCategory,
  freshShopperGet,
  ownOrigin,
  patchCategory,
  productIdsInCategory,
  shopperGet,
  uniqueSlug,
} from "../support/categories";

interface PublicCategory {
  id: string;
  slug: string;
  parent_id: string | null;
  position: number;
  depth: number;
  product_count: number;
}

async function publicCategories(): Promise<PublicCategory[]> {
  const response = await freshShopperGet("/api/categories");
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: PublicCategory[] }).data;
}

/** The entries of `tree` that are these categories, in the tree's order. */
function only<T extends { id: string }>(tree: T[], ...ours: { id: string }[]): T[] {
  const ids = new Set(ours.map((category) => category.id));
  return tree.filter((category) => ids.has(category.id));
}

async function productCategoryIds(productId: string): Promise<string[]> {
  const response = await freshShopperGet(`/api/products/${productId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { categories: { id: string }[] }).categories.map((category) => category.id).sort();
}

describe("admin: categories", () => {
  it("creates with 201, a Location and the depth below its parent", async () => {
    const admin = await signedInAdmin();
    const top = await createCategory(admin);
    const slug = uniqueSlug();
    const response = await admin.client.json(
      "POST",
      "/api/admin/categories",
      { slug, name: "  Loose tea  ", parent_id: top.id, position: 3 },
      admin.tokens.access_token,
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as AdminCategory;
    expect(response.headers.get("location")).toBe(`/api/admin/categories/${created.id}`);
    expect(created).toMatchObject({
      slug,
      name: "Loose tea",
      parent_id: top.id,
      position: 3,
      depth: 2,
      product_count: 0,
    });
    expect(created.id).toMatch(/^cat_/);
    expect(top).toMatchObject({ parent_id: null, position: 0, depth: 1 });
    const located = await admin.client.fetch(response.headers.get("location") ?? "", {
      token: admin.tokens.access_token,
    });
    expect(await located.json()).toEqual(created);
    const missing = await admin.client.fetch("/api/admin/categories/cat_missing", { token: admin.tokens.access_token });
    expect(missing.status).toBe(404);
  });

  it("the public tree is depth-first, siblings by position, with depth, parent and products counted once up the tree", async () => {
    const admin = await signedInAdmin();
    const top = await createCategory(admin);
    // Created before its sibling but placed after it.
    const second = await createCategory(admin, { parent_id: top.id, position: 1 });
    const first = await createCategory(admin, { parent_id: top.id, position: 0 });
    const leaf = await createCategory(admin, { parent_id: first.id });
    // In the leaf and in its parent: counted once in the parent and once in the top.
    await createProductIn(admin, [leaf.id, first.id]);
    await createProductIn(admin, [second.id]);
    // Not for sale: the shoppers' counts leave it out, the admin's count it.
    await createProductIn(admin, [leaf.id], { is_active: false });

    const tree = only(await publicCategories(), top, first, second, leaf);
    expect(tree.map(({ id, parent_id, depth, product_count }) => ({ id, parent_id, depth, product_count }))).toEqual([
      { id: top.id, parent_id: null, depth: 1, product_count: 2 },
      { id: first.id, parent_id: top.id, depth: 2, product_count: 1 },
      { id: leaf.id, parent_id: first.id, depth: 3, product_count: 1 },
      { id: second.id, parent_id: top.id, depth: 2, product_count: 1 },
    ]);

    const adminTree = only(await adminCategories(admin), top, first, second, leaf);
    expect(adminTree.map(({ id, product_count }) => ({ id, product_count }))).toEqual([
      { id: top.id, product_count: 3 },
      { id: first.id, product_count: 2 },
      { id: leaf.id, product_count: 2 },
      { id: second.id, product_count: 1 },
    ]);
  });

  it("?category= finds the products of the category and of every category below it, not of its siblings", async () => {
    const admin = await signedInAdmin();
    const [top, child, grandchild] = await createChain(admin, 3);
    if (!top || !child || !grandchild) throw new Error("chain too short");
    const childsSibling = await createCategory(admin, { parent_id: top.id });
    const topsSibling = await createCategory(admin);
    const inTop = await createProductIn(admin, [top.id]);
    const inGrandchild = await createProductIn(admin, [grandchild.id]);
    const inChildsSibling = await createProductIn(admin, [childsSibling.id]);
    await createProductIn(admin, [topsSibling.id]);

    expect(await productIdsInCategory(top.slug)).toEqual([inTop.id, inGrandchild.id, inChildsSibling.id].sort());
    expect(await productIdsInCategory(child.slug)).toEqual([inGrandchild.id]);
    expect(await productIdsInCategory(childsSibling.slug)).toEqual([inChildsSibling.id]);
  });

  it("a product is in any number of categories, and PATCH category_ids replaces them", async () => {
    const admin = await signedInAdmin();
    const [a, b, c] = [await createCategory(admin), await createCategory(admin), await createCategory(admin)];
    const product = await createProductIn(admin, [a.id, b.id]);
    expect(product.categories.map((category) => category.id).sort()).toEqual([a.id, b.id].sort());
    expect(await productIdsInCategory(a.slug)).toEqual([product.id]);
    expect(await productIdsInCategory(b.slug)).toEqual([product.id]);

    const patched = await admin.client.json(
      "PATCH",
      `/api/admin/products/${product.id}`,
      { category_ids: [c.id, b.id] },
      admin.tokens.access_token,
    );
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await productCategoryIds(product.id)).toEqual([b.id, c.id].sort());
    expect(await productIdsInCategory(a.slug)).toEqual([]);
    expect(await productIdsInCategory(c.slug)).toEqual([product.id]);
  });

  it("moving a category takes its subtree along: every descendant's depth and path follow", async () => {
    const admin = await signedInAdmin();
    const [a, b, c] = await createChain(admin, 3);
    if (!a || !b || !c) throw new Error("chain too short");
    const [x, y] = await createChain(admin, 2);
    if (!x || !y) throw new Error("chain too short");
    const product = await createProductIn(admin, [c.id]);

    const moved = await patchCategory(admin, a.id, { parent_id: y.id, position: 2 });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(await moved.json()).toMatchObject({ id: a.id, parent_id: y.id, position: 2, depth: 3, product_count: 1 });
    const rows = await testDb()
      .select()
      .from(categories)
      .where(inArray(categories.id, [a.id, b.id, c.id]));
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(b.id)).toMatchObject({ depth: 4, path: `/${x.id}/${y.id}/${a.id}/${b.id}/` });
    expect(byId.get(c.id)).toMatchObject({ depth: 5, path: `/${x.id}/${y.id}/${a.id}/${b.id}/${c.id}/` });
    expect(await productIdsInCategory(x.slug)).toEqual([product.id]);

    const toTop = await patchCategory(admin, a.id, { parent_id: null });
    expect(toTop.status).toBe(200);
    const tree = only(await adminCategories(admin), a, b, c, x, y);
    expect(tree.map(({ id, depth }) => ({ id, depth }))).toContainEqual({ id: c.id, depth: 3 });
    expect(tree.find((category) => category.id === a.id)).toMatchObject({ parent_id: null, depth: 1, position: 2 });
    expect(await productIdsInCategory(x.slug)).toEqual([]);
  });

  it("renames and reorders, recording from and to in the audit trail", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin, { name: "Before" });
    const slug = uniqueSlug();
    const response = await patchCategory(admin, category.id, { name: "After", slug, position: 7 });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: category.id, name: "After", slug, position: 7, depth: 1 });

    const events = await testDb()
      .select({ action: auditEvents.action, actorId: auditEvents.actorId, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetType, "category"), eq(auditEvents.targetId, category.id)));
    expect(events.map((event) => event.action).sort()).toEqual(["category.created", "category.updated"]);
    expect(events.find((event) => event.action === "category.updated")).toEqual({
      action: "category.updated",
      actorId: admin.id,
      details: {
        changes: {
          name: { from: "Before", to: "After" },
          slug: { from: category.slug, to: slug },
          position: { from: 0, to: 7 },
        },
      },
    });
  });

  it("deleting with move_products_to moves every product there, once, in the same write", async () => {
    const admin = await signedInAdmin();
    const doomed = await createCategory(admin);
    const target = await createCategory(admin);
    const alreadyThere = await createProductIn(admin, [doomed.id, target.id]);
    const onlyHere = await createProductIn(admin, [doomed.id]);

    const response = await deleteCategory(admin, doomed.id, target.id);
    expect(response.status, await response.clone().text()).toBe(204);

    expect(await productCategoryIds(alreadyThere.id)).toEqual([target.id]);
    expect(await productCategoryIds(onlyHere.id)).toEqual([target.id]);
    expect(await productIdsInCategory(target.slug)).toEqual([alreadyThere.id, onlyHere.id].sort());
    expect((await adminCategories(admin)).map((category) => category.id)).not.toContain(doomed.id);
    const [event] = await testDb()
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, doomed.id), eq(auditEvents.action, "category.deleted")));
    expect(event?.details).toMatchObject({ slug: doomed.slug, move_products_to: target.id });
  });

  it("deletes an empty leaf", async () => {
    const admin = await signedInAdmin();
    const parent = await createCategory(admin);
    const leaf = await createCategory(admin, { parent_id: parent.id });
    expect((await deleteCategory(admin, leaf.id)).status).toBe(204);
    expect((await deleteCategory(admin, parent.id)).status).toBe(204);
    const left = await testDb()
      .select()
      .from(categories)
      .where(inArray(categories.id, [parent.id, leaf.id]));
    expect(left).toEqual([]);
  });

  it("an admin change shows at once in the categories this data center serves from its edge cache", async () => {
    const admin = await signedInAdmin();
    const category = await createCategory(admin, { name: "Old name" });
    const origin = ownOrigin();
    const nameNow = async () =>
      (
        (await (await shopperGet(`${origin}/api/categories`)).json()) as { data: { id: string; name: string }[] }
      ).data.find((entry) => entry.id === category.id)?.name;
    expect(await nameNow()).toBe("Old name");

    const renamed = await admin.client.json(
      "PATCH",
      `${origin}/api/admin/categories/${category.id}`,
      { name: "New name" },
      admin.tokens.access_token,
    );
    expect(renamed.status).toBe(200);
    expect(await nameNow()).toBe("New name");
  });
});
