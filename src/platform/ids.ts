const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * An opaque, non-sequential id with a type prefix (`usr_…`, `prd_…`): 128
 * random bits in base36, so ids reveal neither counts nor creation order.
 */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let text = "";
  while (value > 0n) {
    text = ALPHABET[Number(value % 36n)] + text;
    value /= 36n;
  }
  return `${prefix}_${text.padStart(25, "0")}`;
}
