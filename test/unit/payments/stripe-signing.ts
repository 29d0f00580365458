/** Signs as Stripe does, written from Stripe's documentation rather than from the code under test. */

export const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
export const NOW_S = NOW_MS / 1000;
export const SECRET = "whsec_unit_current";
export const BODY = new TextEncoder().encode('{"id":"evt_1","type":"payment_intent.succeeded"}');

/** Hex HMAC-SHA256 of `${prefix}${body}` under `secret`; the prefix is normally `${t}.`. */
export async function hmacHex(secret: string, prefix: string, body: Uint8Array = BODY): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const message = new Uint8Array([...new TextEncoder().encode(prefix), ...body]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
  return [...mac].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A `Stripe-Signature` header: `t=<timestamp>,v1=<signature of "<timestamp>.<body>">`. */
export async function stripeHeader(
  options: { secret?: string; timestamp?: number; body?: Uint8Array } = {},
): Promise<string> {
  const timestamp = options.timestamp ?? NOW_S;
  return `t=${timestamp},v1=${await hmacHex(options.secret ?? SECRET, `${timestamp}.`, options.body)}`;
}
