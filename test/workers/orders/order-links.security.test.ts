import { describe, expect, it, vi } from "vitest";
import { base64Url, fromBase64, utf8 } from "../../../src/platform/encoding";
import { TEST_BINDINGS } from "../../fixtures/environments";
import { testClient } from "../support/accounts";
import { openLink, orderWithLink, signedLink } from "../support/order-links";

const SIGNATURE_BYTES = 32;

/** A token laid out as the Worker lays them out: the signature, then the payload it claims to sign. */
function tokenOf(signature: Uint8Array, payload: string): string {
  return base64Url(new Uint8Array([...signature, ...utf8(payload)]));
}

/** `token`'s signature over another payload: what an attacker holding one link could try for another order. */
function withPayload(token: string, payload: string): string {
  return tokenOf(fromBase64(token).slice(0, SIGNATURE_BYTES), payload);
}

describe("order links: what a link opens", () => {
  it("one link never opens another order, nor a later expiry of its own", async () => {
    const mine = await orderWithLink();
    const other = await orderWithLink();
    const expiry = new TextDecoder().decode(fromBase64(mine.token).slice(SIGNATURE_BYTES)).split(":")[1];
    expect((await openLink(withPayload(mine.token, `${other.order.id}:${expiry}`))).status).toBe(404);
    expect((await openLink(withPayload(mine.token, `${mine.order.id}:99999999999`))).status).toBe(404);
  });

  it("the link's key is not the JWT key: a token MACed with JWT_SECRET itself is refused", async () => {
    const { order } = await orderWithLink();
    const payload = `${order.id}:${Math.floor(Date.now() / 1000) + 3600}`;
    const jwtKey = await crypto.subtle.importKey(
      "raw",
      utf8(TEST_BINDINGS.JWT_SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const signature = new Uint8Array(await crypto.subtle.sign("HMAC", jwtKey, utf8(payload)));
    expect((await openLink(tokenOf(signature, payload))).status).toBe(404);
    // The same payload signed with the derived key opens it: only the key differed.
    expect((await openLink(await signedLink(order.id, new Date(Date.now() + 3_600_000)))).status).toBe(200);
  });

  it("the token is no bearer token: the authenticated order routes refuse it", async () => {
    const { order, token } = await orderWithLink();
    const client = testClient();
    for (const path of [`/api/orders/${order.id}`, `/api/orders/${order.id}/payment`, "/api/orders", "/api/users/me"]) {
      expect((await client.fetch(path, { token })).status, path).toBe(401);
    }
  });

  it("the order read through a link carries no payment data", async () => {
    const { order, token } = await orderWithLink();
    const body = await (await openLink(token)).text();
    expect(order.paymentIntentId).toMatch(/^pi_/);
    for (const secret of ["client_secret", order.paymentIntentId ?? "pi_", "payment_intent", "intent_id", "secret"]) {
      expect(body).not.toContain(secret);
    }
  });

  it("the link's token reaches no log line (it is in the query string, which no log line carries), and its view names no account or admin", async () => {
    const { order, token } = await orderWithLink();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    const response = await openLink(token);
    vi.restoreAllMocks();
    expect(response.status).toBe(200);
    expect(lines.join("\n")).not.toContain(token);
    expect(lines.some((line) => line.includes('"path":"/api/order-links"'))).toBe(true);
    const view = (await response.json()) as { events: { actor_id: string | null }[] };
    expect(view.events.length).toBeGreaterThan(0);
    expect(view.events.map((event) => event.actor_id)).toEqual(view.events.map(() => null));
    expect(JSON.stringify(view)).not.toContain(order.userId ?? "usr_");
  });
});
