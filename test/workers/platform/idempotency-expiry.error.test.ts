import { afterEach, describe, expect, it, vi } from "vitest";
import { login, signedInAdmin, signedInUser } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { passTime } from "../support/clock";
import { ADDRESS, addToCart, asShopper, type OrderBody, placeOrder, STANDARD_SHIPPING } from "../support/shopping";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

const DAY_SECONDS = 24 * 60 * 60;

describe("an Idempotency-Key's lifetime", () => {
  it("is remembered for 24 hours, then forgotten: the same key is a new request again", async () => {
    const admin = await signedInAdmin();
    const account = await signedInUser();
    const product = await createProduct(admin, { initial_stock: 10 });
    const key = crypto.randomUUID();
    const otherBody = { shipping_address: ADDRESS, shipping_method_id: STANDARD_SHIPPING, note: "second order" };

    let shopper = asShopper(account);
    await addToCart(shopper, product.id, 1);
    const first = await placeOrder(shopper, key);
    expect(first.status).toBe(201);
    const { id: firstId } = (await first.json()) as OrderBody;

    // A minute before the day is out, the key still belongs to the first request.
    passTime(DAY_SECONDS - 60);
    shopper = { ...shopper, token: (await login(account)).access_token };
    await addToCart(shopper, product.id, 1);
    const reused = await placeOrder(shopper, key, otherBody);
    expect(reused.status).toBe(422);
    expect((await readProblem(reused)).type).toBe("urn:edge-commerce:problem:idempotency_key_reused");
    const replayed = await placeOrder(shopper, key);
    expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await replayed.json()) as OrderBody).id).toBe(firstId);

    // After it, the key is free: the request is processed as new.
    passTime(61);
    shopper = { ...shopper, token: (await login(account)).access_token };
    const fresh = await placeOrder(shopper, key, otherBody);
    expect(fresh.status, await fresh.clone().text()).toBe(201);
    expect(fresh.headers.get("Idempotent-Replayed")).toBeNull();
    expect(((await fresh.json()) as OrderBody).id).not.toBe(firstId);
  });
});
