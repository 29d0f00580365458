import { afterEach, describe, expect, it, vi } from "vitest";
import { fromBase64 } from "../../../src/platform/encoding";
import { passTime } from "../support/clock";
import { openLink, orderWithLink, signedLink } from "../support/order-links";
import { readProblem } from "../support/worker";

afterEach(() => {
  vi.useRealTimers();
});

const DAY_SECONDS = 86_400;

/** The token with one character of its signature (the first bytes) changed. */
function tampered(token: string): string {
  const index = 10;
  const replacement = token[index] === "A" ? "B" : "A";
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
}

async function expectNotFound(token: string) {
  const response = await openLink(token);
  expect(response.status).toBe(404);
  expect((await readProblem(response)).type).toMatch(/not_found$/);
}

describe("order links: refused", () => {
  it("a tampered signature, a truncated token, an unknown one or garbage → 404 not_found", async () => {
    const { token } = await orderWithLink();
    for (const bad of [
      tampered(token),
      token.slice(0, -3),
      token.slice(0, 20),
      "AAAA",
      "not a token!",
      "x".repeat(300),
    ]) {
      await expectNotFound(encodeURIComponent(bad));
    }
  });

  it("a genuine signature for an order that does not exist → 404", async () => {
    await expectNotFound(await signedLink("ord_doesnotexist", new Date(Date.now() + DAY_SECONDS * 1000)));
  });

  it("a genuine link past its expiry → 410 link_expired; a tampered expired one is still 404", async () => {
    const { order } = await orderWithLink();
    const expired = await signedLink(order.id, new Date(Date.now() - 1000));
    const response = await openLink(expired);
    expect(response.status).toBe(410);
    expect((await readProblem(response)).type).toMatch(/link_expired$/);
    await expectNotFound(tampered(expired));
  });

  it("the link in an email works for ORDER_LINK_TTL_DAYS (30) from when it was sent, then 410", async () => {
    const { token } = await orderWithLink();
    passTime(29 * DAY_SECONDS);
    expect((await openLink(token)).status).toBe(200);
    passTime(DAY_SECONDS + 60);
    expect((await openLink(token)).status).toBe(410);
  });

  it("the token decodes to the signature and the order id with expiry it signs", async () => {
    const { order, token } = await orderWithLink();
    const payload = new TextDecoder().decode(fromBase64(token).slice(32));
    expect(payload).toMatch(new RegExp(`^${order.id}:\\d+$`));
  });
});
