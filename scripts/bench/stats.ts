export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The middle value, for counts that may differ between iterations (e.g. a cache warming up). */
export function median(values: number[]): number {
  return percentile(values, 50);
}

export function markdownTable(header: string[], rightAligned: boolean[], rows: string[][]): string {
  const align = rightAligned.map((right) => (right ? "---:" : "---"));
  return [header, align, ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
