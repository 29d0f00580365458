/** Order amounts, as integers in the smallest unit of the store currency, taken from current prices at checkout. */

/** A line's amount: its unit price times its quantity. */
export function lineAmount(unitPriceAmount: number, quantity: number): number {
  return unitPriceAmount * quantity;
}

/** An order's subtotal: the sum of its lines' amounts. */
export function subtotalAmount(lines: readonly { lineAmount: number }[]): number {
  return lines.reduce((sum, line) => sum + line.lineAmount, 0);
}
