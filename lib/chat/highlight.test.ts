import { describe, expect, it } from "vitest";
import { claimsCiting, highlightHtml, matchSentences, plainOfHtml, sentencesOf } from "./highlight";

describe("highlighting inside safe HTML", () => {
  it("counts entities as one character and ends sentences at blocks", () => {
    const html = "<p>Tom &amp; Jerry pay $5.</p><ul><li>One item</li><li>Another</li></ul>";
    expect(plainOfHtml(html)).toBe("\nTom & Jerry pay $5.\n\n\nOne item\n\nAnother\n\n");
    expect(sentencesOf(plainOfHtml(html)).map((s) => s.text)).toEqual(["Tom & Jerry pay $5.", "One item", "Another"]);
  });

  it("wraps a sentence that runs across inline tags without breaking them", () => {
    const html = "<p>Refunds take <strong>14 days</strong> &amp; more. Other text here.</p>";
    const ranges = matchSentences(plainOfHtml(html), ["Refunds take 14 days & more"]);
    const out = highlightHtml(html, { ranges, firstId: "p1" });
    expect(out).toBe('<p><mark class="cited" id="p1">Refunds take </mark><strong><mark class="cited">14 days</mark></strong><mark class="cited"> &amp; more.</mark> Other text here.</p>');
  });

  it("marks words in text, never inside tags or entities", () => {
    const out = highlightHtml('<a href="/refund">refund &amp; refunds</a>', { word: (w) => w.startsWith("refund") });
    expect(out).toBe('<a href="/refund"><mark>refund</mark> &amp; <mark>refunds</mark></a>');
  });

  it("finds an answer's sentences citing a source, markers after the full stop included", () => {
    expect(claimsCiting("Refunds take 14 days [1]. Shipping is free. [2]\n- Monthly plans are not refunded. [1]", 1)).toEqual(["Refunds take 14 days.", "Monthly plans are not refunded."]);
  });

  it("counts the uncited sentences a paragraph's closing marker covers, but not across another source's", () => {
    expect(claimsCiting("Trials end after 14 days. The account becomes read-only. Data is kept 30 days [1].\nPlans differ [2]. Unrelated line.", 1)).toEqual([
      "Trials end after 14 days.",
      "The account becomes read-only.",
      "Data is kept 30 days.",
    ]);
    expect(claimsCiting("Shipping is free [2]. Refunds take 5 days [1].", 1)).toEqual(["Refunds take 5 days."]);
  });

  it("asks for near-identical wording in strict mode", () => {
    const plain = "Refunds take 14 days. Refunds of annual plans take 30 days after a renewal.";
    expect(matchSentences(plain, ["Refunds take 14 days."], true).map((s) => s.text)).toEqual(["Refunds take 14 days."]);
  });
});
