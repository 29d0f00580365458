import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { products } from "../../../src/schema";
import type { ServiceOverrides } from "../../../src/services";
import { randomIp, signedInAdmin, signedInUser, testDb, unique } from "../support/accounts";
import { createProduct, setStockMirror, uniqueCategory } from "../support/catalog";
import { DatabaseLink, databaseThrough } from "../support/faults";
import { countingDatabase } from "../support/round-trips";
import { callWorkerWith } from "../support/worker";

function get(path: string, services: ServiceOverrides, headers: Record<string, string> = {}) {
  return callWorkerWith({}, path, { headers: { "CF-Connecting-IP": randomIp(), ...headers } }, services);
}

async function stockShown(response: Response): Promise<number | undefined> {
  return ((await response.json()) as { variants?: { stock_available: number }[] }).variants?.[0]?.stock_available;
}

describe("the edge cache never serves or stores personal answers", () => {
  it("a request with credentials neither gets a stored answer nor stores one", async () => {
    const admin = await signedInAdmin();
    const shopper = await signedInUser();
    const credentials: Record<string, string>[] = [
      { Authorization: `Bearer ${shopper.tokens.access_token}` },
      { Cookie: "session=abc" },
    ];
    for (const headers of credentials) {
      const stored = await createProduct(admin, { initial_stock: 3 });
      const db = countingDatabase();
      await get(`/api/products/${stored.id}`, db.overrides);
      await setStockMirror(stored.variant_id, 1);
      const personal = await get(`/api/products/${stored.id}`, db.overrides, headers);
      expect(await stockShown(personal)).toBe(1);
      expect(personal.headers.get("cache-control")).toBe("no-store");
      expect(db.trips()).toBe(2);

      const untouched = await createProduct(admin, { initial_stock: 3 });
      await get(`/api/products/${untouched.id}`, db.overrides, headers);
      await setStockMirror(untouched.variant_id, 2);
      const anonymous = await get(`/api/products/${untouched.id}`, db.overrides);
      expect(await stockShown(anonymous)).toBe(2);
      expect(db.trips()).toBe(4);
    }
  });

  it("errors are never stored: a 404 or a 503 is produced again, and the next success is stored", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin, { is_active: false });
    const db = countingDatabase();
    expect((await get(`/api/products/${product.id}`, db.overrides)).status).toBe(404);
    // Changed behind the catalog's back: only a 404 that was never stored lets the product show.
    await testDb().update(products).set({ isActive: true }).where(eq(products.id, product.id));

    const lostLink = new DatabaseLink();
    lostLink.cut();
    expect((await get(`/api/products/${product.id}`, databaseThrough(lostLink))).status).toBe(503);
    expect((await get(`/api/products/${product.id}`, db.overrides)).status).toBe(200);
    expect((await get(`/api/products/${product.id}`, db.overrides)).status).toBe(200);
    expect(db.trips()).toBe(2);
  });

  it("an answer from the cache carries this request's X-Request-ID, CORS and security headers", async () => {
    const admin = await signedInAdmin();
    const product = await createProduct(admin);
    const db = countingDatabase();
    const path = `/api/products/${product.id}`;
    const cold = await get(path, db.overrides, { Origin: "https://shop.test", "X-Request-ID": "first-request" });
    expect(cold.headers.get("access-control-allow-origin")).toBe("https://shop.test");
    expect(cold.headers.get("x-request-id")).toBe("first-request");

    const otherOrigin = await get(path, db.overrides, {
      Origin: "https://admin.shop.test",
      "X-Request-ID": "second-request",
    });
    expect(otherOrigin.headers.get("access-control-allow-origin")).toBe("https://admin.shop.test");
    expect(otherOrigin.headers.get("x-request-id")).toBe("second-request");
    const unlisted = await get(path, db.overrides, { Origin: "https://evil.test" });
    expect(unlisted.headers.get("access-control-allow-origin")).toBeNull();
    expect(unlisted.headers.get("access-control-allow-credentials")).toBeNull();
    expect(unlisted.headers.get("x-request-id")).not.toBe("first-request");
    expect(unlisted.headers.get("vary")).toContain("Origin");
    expect(unlisted.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(unlisted.headers.get("x-edge-stored-at")).toBeNull();
    expect(db.trips()).toBe(1);
  });
});

describe("the edge cache key is the normalised query", () => {
  it("reordered, repeated-unknown, encoded, defaulted and unknown parameters reuse one entry", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    await createProduct(admin, { category, price_amount: 400 });
    const db = countingDatabase();
    const canonical = await get(`/api/products?category=${category}&sort=price&limit=20`, db.overrides);
    const body = await canonical.json();
    expect(db.trips()).toBe(1);

    for (const query of [
      `sort=price&category=${category}`,
      `limit=20&sort=price&category=${category}&utm_source=mail&utm_source=ad`,
      `category=${category}&sort=price&limit=020&in_stock=false`,
      `categ%6Fry=${category}&%73ort=pric%65`,
      `category=${category}&sort=price&q_extra=<script>alert(1)</script>`,
    ]) {
      const variant = await get(`/api/products?${query}`, db.overrides);
      expect(variant.status, query).toBe(200);
      expect(await variant.json(), query).toEqual(body);
      expect(db.trips(), query).toBe(1);
    }
  });

  it("a search in another case, spacing or punctuation reuses the entry of its words", async () => {
    const admin = await signedInAdmin();
    const word = `zq${unique().toLowerCase()}`;
    await createProduct(admin, { name: `${word} copper kettle` });
    const db = countingDatabase();
    const first = await get(`/api/products?q=${word}+kettle`, db.overrides);
    expect(((await first.json()) as { data: unknown[] }).data).toHaveLength(1);
    for (const q of [`${word.toUpperCase()} Kettle`, `  ${word}   kettle!`, `${word},kettle`]) {
      const variant = await get(`/api/products?q=${encodeURIComponent(q)}`, db.overrides);
      expect(((await variant.json()) as { data: unknown[] }).data, q).toHaveLength(1);
      expect(db.trips(), q).toBe(1);
    }
    await get(`/api/products?q=${word}+copper`, db.overrides);
    expect(db.trips()).toBe(2);
  });

  it("queries the route refuses (repeated or invalid known parameters) stay 422, even when a near twin is stored", async () => {
    const admin = await signedInAdmin();
    const category = uniqueCategory();
    await createProduct(admin, { category });
    const db = countingDatabase();
    const valid = await get(`/api/products?category=${category}&limit=5`, db.overrides);
    expect(valid.status).toBe(200);
    for (const query of [
      `category=${category}&limit=5&limit=5`,
      `category=${category}&category=${category}&limit=5`,
      `category=${category}&limit=abc`,
      `category=${category.toUpperCase()}&limit=5`,
    ]) {
      expect((await get(`/api/products?${query}`, db.overrides)).status, query).toBe(422);
    }
    expect(db.trips()).toBe(1);
  });
});
