import { afterEach, describe, expect, it, vi } from "vitest";
import { signedInAdmin, signedInUser } from "../support/accounts";
import { createProduct } from "../support/catalog";
import {
  awaitEmails,
  emailsTo,
  linkTokenOf,
  moveOrder,
  pricedPaidOrder,
  refundAndConfirm,
} from "../support/order-emails";
import { consume, intentOf, orderRow, recordedEvent } from "../support/payments";
import { ADDRESS, addToCart, asShopper, type OrderBody, placeOrder } from "../support/shopping";

afterEach(() => {
  vi.restoreAllMocks();
});

const HOSTILE_NAME = `<script>alert("x")</script> Tom & Jerry's mug`;
const HOSTILE_ADDRESS = { ...ADDRESS, name: `<img src=x onerror="alert(1)">`, line1: "1 <b>Bold</b> Street" };

describe("order emails: what they never carry", () => {
  it("no payment secret, intent id or other token in any order email, text or HTML (the order link's token aside)", async () => {
    const { admin, account, order } = await pricedPaidOrder();
    await moveOrder(admin, order.id, { to: "processing" });
    await moveOrder(admin, order.id, { to: "shipped", tracking_reference: "TRACK-1" });
    await refundAndConfirm(admin, order.id, "refunded");
    const emails = await awaitEmails(account.email, /confirmed|shipped|refunded/, 3);
    expect(order.paymentIntentId).toMatch(/^pi_/);
    for (const email of emails) {
      const token = linkTokenOf(email);
      for (const body of [email.text, email.html ?? ""]) {
        const withoutLink = body.replaceAll(token, "TOKEN");
        for (const secret of ["client_secret", "pi_", "secret", order.paymentIntentId ?? "pi_", "Bearer"]) {
          expect(withoutLink).not.toContain(secret);
        }
      }
      expect(email.html).toBeTruthy();
    }
  });

  it("hostile product names and addresses are escaped in the HTML, kept as written in the text", async () => {
    const { account } = await pricedPaidOrder({ productName: HOSTILE_NAME, address: HOSTILE_ADDRESS });
    const [email] = await awaitEmails(account.email, /confirmed/);
    const html = email?.html ?? "";
    for (const raw of ["<script", "<img", "<b>", 'onerror="']) expect(html).not.toContain(raw);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s mug");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("1 &lt;b&gt;Bold&lt;/b&gt; Street");
    expect(email?.text).toContain(HOSTILE_NAME);
  });

  it("a payment confirmed twice (a duplicate success event) moves the order once and sends one confirmation", async () => {
    const admin = await signedInAdmin();
    const account = await signedInUser();
    const shopper = asShopper(account);
    const product = await createProduct(admin, { initial_stock: 5 });
    await addToCart(shopper, product.id, 1);
    const { id } = (await (await placeOrder(shopper)).json()) as OrderBody;
    const intent = intentOf(await orderRow(id));
    // The queue's consumer, run here so that its background work (the email) has finished when it returns.
    for (const eventId of [
      await recordedEvent("payment_intent.succeeded", intent),
      await recordedEvent("payment_intent.succeeded", intent),
    ]) {
      await consume("payment-events", [{ event_id: eventId }]);
    }
    expect((await orderRow(id)).status).toBe("paid");
    const confirmations = (await emailsTo(account.email)).filter((email) => /confirmed/.test(email.subject));
    expect(confirmations).toHaveLength(1);
  });

  it("an email API that fails leaves the order paid and logs the failure without the message", async () => {
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url !== "https://email.test/send") return realFetch(input, init);
      return new Response("refused", { status: 503 });
    });
    const logs: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logs.push(args.map(String).join(" "));
    });
    const admin = await signedInAdmin();
    const account = await signedInUser();
    const shopper = asShopper(account);
    const product = await createProduct(admin, { initial_stock: 5, name: "Secretless teapot" });
    await addToCart(shopper, product.id, 1);
    const { id } = (await (await placeOrder(shopper)).json()) as OrderBody;
    const eventId = await recordedEvent("payment_intent.succeeded", intentOf(await orderRow(id)));
    const result = await consume("payment-events", [{ event_id: eventId }], 1, {
      EMAIL_API_URL: "https://email.test/send",
      EMAIL_API_KEY: "key-123",
      EMAIL_FROM: "Shop <no-reply@shop.test>",
    });

    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect((await orderRow(id)).status).toBe("paid");
    const failures = logs.filter((line) => line.includes("background_task_failed"));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("order_email");
    expect(logs.join("\n")).not.toContain("Secretless teapot");
    expect(logs.join("\n")).not.toContain("orders/view?token=");
  });
});
