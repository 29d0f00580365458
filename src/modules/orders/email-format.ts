/** The two text rules of order emails: amounts shown from integer minor units, and values made safe for HTML. */

/** ISO 4217 currencies without a minor unit: their amounts are already whole units. */
const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ",");
}

/**
 * `1234567` usd → "USD 12,345.67"; `1500` jpy → "JPY 1,500"; negative amounts get a leading "-". Integer
 * arithmetic only: a minor-unit amount never passes through a fraction.
 */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError("an amount is an integer in minor units");
  const code = currency.toUpperCase();
  const sign = amount < 0 ? "-" : "";
  const units = Math.abs(amount);
  if (ZERO_DECIMAL.has(currency.toLowerCase())) return `${sign}${code} ${groupThousands(String(units))}`;
  const whole = (units - (units % 100)) / 100;
  const cents = String(units % 100).padStart(2, "0");
  return `${sign}${code} ${groupThousands(String(whole))}.${cents}`;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made inert in HTML, between tags and inside quoted attributes alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}
