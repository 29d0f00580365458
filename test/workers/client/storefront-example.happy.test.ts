/**
 * The typed client's storefront example (packages/client/examples/storefront.ts), run end to end against the Worker
 * in workerd: if the API or its document changes under the client, this is where it shows. Every request goes
 * through the Worker's fetch handler in development configuration (the mock payment controls exist only there),
 * from one client address of its own (rate limits are per client).
 */
import { describe, expect, it } from "vitest";
import { runStorefront } from "../../../packages/client/examples/storefront";
import { randomIp, signedInAdmin, unique } from "../support/accounts";
import { createProduct } from "../support/catalog";
import { orderReaches } from "../support/payments";
import { stockOf } from "../support/shopping";
import { BASE_URL, callWorkerWith } from "../support/worker";

const DEVELOPMENT = { ENVIRONMENT: "development" };

/** A fetch for the client: the request, from `ip`, through the Worker's fetch handler in development. */
function developmentWorker(ip: string) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("CF-Connecting-IP", ip);
    const body = request.body === null ? undefined : await request.arrayBuffer();
    return callWorkerWith(DEVELOPMENT, `${url.pathname}${url.search}`, { method: request.method, headers, body });
  };
}

describe("the client's storefront example", () => {
  it("buys as a guest and as a signed-in shopper through the typed client: both orders paid, the stock taken", async () => {
    const name = `Storefront ${unique()}`;
    const product = await createProduct(await signedInAdmin(), { name, initial_stock: 5, price_amount: 1500 });
    const lines: string[] = [];

    const run = await runStorefront({
      baseUrl: BASE_URL,
      fetch: developmentWorker(randomIp()),
      search: name,
      quantity: 2,
      log: (line) => lines.push(line),
    });

    expect(run.variant.id).toBe(product.variant_id);
    expect(run.guestOrder).toMatchObject({ status: "awaiting_payment", total_amount: 3000 });
    expect(run.guestOrder.items).toEqual([expect.objectContaining({ variant_id: product.variant_id, quantity: 2 })]);
    expect(run.accountOrder).toMatchObject({ status: "paid", total_amount: 3000 });
    expect(run.accountOrder.items).toEqual([expect.objectContaining({ variant_id: product.variant_id, quantity: 2 })]);
    const [guestOrder, accountOrder] = await Promise.all([
      orderReaches(run.guestOrder.id, "paid"),
      orderReaches(run.accountOrder.id, "paid"),
    ]);
    expect(guestOrder).toMatchObject({ userId: null, receivedAmount: 3000 });
    expect(accountOrder.userId).not.toBeNull();
    expect(await stockOf(product.variant_id).level()).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
    expect(lines).toContainEqual(expect.stringMatching(/^account: order ord_\w+ is paid$/));
  });
});
