import { describe, expect, it } from "vitest";
import { quoteAnswer } from "./quote";
import { passageSentences, plainText } from "./sentences";

const SHIPPING = `## Shipping options and prices

### United States

| Service | Delivery time | Price |
| --- | --- | --- |
| Ground | 3 to 5 business days | $9.95, free for orders over $200 |
| Overnight | Next business day | $49.95 |

Overnight orders must be placed by 12:00 noon Pacific Time to ship the same day. Express services cannot deliver to PO boxes.`;

const NAV = `[Home](/) › [Help](/help) › [Billing](/help/billing)

Back to top

Invoices are emailed on the 1st of each month. Each invoice lists every device on the account.

Was this article helpful?`;

describe("passages as sentences", () => {
  it("drops headings, navigation and boilerplate, and keeps statements", () => {
    expect(passageSentences(NAV).map((s) => s.text)).toEqual(["Invoices are emailed on the 1st of each month.", "Each invoice lists every device on the account."]);
  });

  it("reads table rows with their column names, and list items as items", () => {
    const rows = passageSentences(SHIPPING);
    expect(rows[0]).toMatchObject({ text: "Ground (Delivery time: 3 to 5 business days; Price: $9.95, free for orders over $200)", item: true });
    expect(passageSentences("- Hardware can be returned within 30 days of delivery.\n- Every return needs an RMA number first.")).toEqual([
      expect.objectContaining({ text: "Hardware can be returned within 30 days of delivery.", item: true }),
      expect.objectContaining({ text: "Every return needs an RMA number first.", item: true }),
    ]);
  });

  it("does not split at decimal points or abbreviations, and strips link and emphasis markup", () => {
    expect(passageSentences("It costs $9.95 per month, e.g. for one site. Then it renews every month.").map((s) => s.text)).toEqual(["It costs $9.95 per month, e.g. for one site.", "Then it renews every month."]);
    expect(plainText("See **the [refund policy](https://x.example/r)** and `RMA` _now_.")).toBe("See the refund policy and RMA now.");
  });
});

describe("quoted answers", () => {
  const sources = [
    { n: 1, text: NAV, headingPath: "Billing › Invoices", relevance: 0.6 },
    { n: 2, text: SHIPPING, headingPath: "Shipping and Delivery › Shipping options and prices", relevance: 0.7 },
  ];

  it("quotes the sentence with the question's words, with its citation before the stop", async () => {
    expect(await quoteAnswer("When are invoices emailed?", sources)).toEqual({ text: "Invoices are emailed on the 1st of each month [1].", cited: [1] });
  });

  it("brings along the next sentence when it continues the chosen one", async () => {
    const renewals = { n: 3, text: "Annual plans renew on the signup date. They can be cancelled up to 7 days before.", headingPath: "Plans", relevance: 0.6 };
    const quote = await quoteAnswer("When do annual plans renew?", [...sources, renewals]);
    expect(quote?.text).toBe("Annual plans renew on the signup date [3]. They can be cancelled up to 7 days before [3].");
  });

  it("answers from a table row as a bullet, and never says more than four sentences", async () => {
    const quote = await quoteAnswer("how much is ground shipping and how long does it take", sources);
    expect(quote?.text.split("\n")[0]).toBe("- Ground (Delivery time: 3 to 5 business days; Price: $9.95, free for orders over $200) [2].");
    const many = Array.from({ length: 10 }, (_, i) => `Refund rule ${i + 1} applies to refunds of annual plans.`).join(" ");
    const long = await quoteAnswer("refunds of annual plans", [{ n: 1, text: many, headingPath: "", relevance: 1 }]);
    expect(long?.text.match(/\[1\]/g)).toHaveLength(4);
  });

  it("brings along the list a chosen sentence introduces", async () => {
    const ports = "The gateway needs the following outbound access. No inbound ports are needed.\n\n- TCP 8883 (MQTT over TLS) to the telemetry endpoint\n- TCP 443 (HTTPS) for firmware updates";
    const quote = await quoteAnswer("which outbound access does the gateway need through the firewall", [{ n: 1, text: ports, headingPath: "Network requirements", relevance: 0.5 }]);
    expect(quote?.text).toContain("- TCP 8883 (MQTT over TLS) to the telemetry endpoint [1].");
    expect(quote?.text).toContain("- TCP 443 (HTTPS) for firmware updates [1].");
  });

  it("keeps short table rows, which read whole with their column names", () => {
    const rows = passageSentences("| Plan | Telemetry kept for |\n| --- | --- |\n| Team | 13 months |\n| Business | 25 months |");
    expect(rows.map((r) => r.text)).toEqual(["Team (Telemetry kept for: 13 months)", "Business (Telemetry kept for: 25 months)"]);
  });

  it("tells Sev-1 from a row that merely contains a 1", async () => {
    const sev = "| Severity | Response |\n| --- | --- |\n| Sev-1 | 30 minutes, 24/7 |\n| Sev-3 | 1 business day |";
    const quote = await quoteAnswer("how fast for a Sev-1?", [{ n: 1, text: sev, headingPath: "Response times", relevance: 0.5 }]);
    expect(quote?.text.split("\n")[0]).toContain("Sev-1 (Response: 30 minutes, 24/7)");
  });

  it("uses the embedder's similarity when one is given", async () => {
    // A toy embedder: "parcel" and "shipping" point the same way, nothing else does.
    const embedder = {
      maxBatch: 2,
      embed: async (texts: string[]) => texts.map((t) => Float32Array.from([/parcel|overnight/i.test(t) ? 1 : 0, 1])),
    };
    const quote = await quoteAnswer("latest time for a parcel to leave today", sources, embedder);
    expect(quote?.text).toContain("Overnight orders must be placed by 12:00 noon Pacific Time to ship the same day [2].");
  });

  it("has nothing to quote from passages without a statement", async () => {
    expect(await quoteAnswer("anything", [{ n: 1, text: "# Title\n\nBack to top", headingPath: "", relevance: 1 }])).toBeUndefined();
  });
});
