import { orderLinkKey, signOrderLink } from "../../../src/modules/orders/order-links";
import { TEST_BINDINGS } from "../../fixtures/environments";
import { testClient } from "./accounts";
import { awaitEmails, linkTokenOf, pricedPaidOrder } from "./order-emails";

/** A paid order and the token of the link its confirmation email carries. */
export async function orderWithLink() {
  const paid = await pricedPaidOrder();
  const [confirmation] = await awaitEmails(paid.account.email, /confirmed/);
  if (!confirmation) throw new Error("no confirmation email");
  return { ...paid, token: linkTokenOf(confirmation) };
}

/** A link signed as the Worker signs them (the suite's JWT_SECRET), for an expiry the test chooses. */
export async function signedLink(orderId: string, expiresAt: Date, secret = TEST_BINDINGS.JWT_SECRET): Promise<string> {
  return signOrderLink(orderId, expiresAt, await orderLinkKey(secret));
}

/** The public order-link route, as a storefront page calls it: no credentials. */
export function openLink(token: string) {
  return testClient().fetch(`/api/order-links?token=${encodeURIComponent(token)}`);
}
