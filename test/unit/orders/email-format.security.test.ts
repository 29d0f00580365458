import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../../src/modules/orders/email-format";

describe("escapeHtml", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`" onmouseover="alert(1)`, "&quot; onmouseover=&quot;alert(1)"],
    ["' autofocus onfocus='x", "&#39; autofocus onfocus=&#39;x"],
    ["Tom & Jerry &amp; co", "Tom &amp; Jerry &amp;amp; co"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["Crème brûlée — 10 × 🍮", "Crème brûlée — 10 × 🍮"],
  ])("%s", (hostile, escaped) => {
    expect(escapeHtml(hostile)).toBe(escaped);
  });

  it("leaves no character that can open a tag, an entity or leave a quoted attribute", () => {
    const everything = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join("");
    expect(escapeHtml(everything).replace(/&(amp|lt|gt|quot|#39);/g, "")).not.toMatch(/[<>"'&]/);
  });
});
