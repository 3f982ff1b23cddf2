/**
 * Money amounts written in free text: "$1,200", "USD 300", "250 euros",
 * "£40", "$3k", "2.5 million dollars". Values are taken at face value in
 * their own currency: the limit is a rough trigger for review, not a ledger.
 */

export interface MoneyAmount {
  value: number;
  /** The amount as written. */
  raw: string;
  /** Offset of the amount in the text. */
  index: number;
}

const SYMBOL = String.raw`(?:US\$|CA\$|C\$|A\$|\$|€|£|USD|EUR|GBP|CAD|AUD)`;
const WORD = String.raw`(?:dollars?|bucks|euros?|pounds?|quid|USD|EUR|GBP|CAD|AUD)`;
const NUMBER = String.raw`\d{1,3}(?:[,\s]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?`;
const SCALE = String.raw`(?:\s?(?:k|K|thousand|grand|m|M|million|mn)\b)?`;

const BEFORE = new RegExp(String.raw`${SYMBOL}\s?(${NUMBER})(${SCALE})`, "g");
const AFTER = new RegExp(String.raw`(?<![\w.,$€£])(${NUMBER})(${SCALE})\s?${WORD}\b`, "gi");

function scaleOf(word: string): number {
  const w = word.trim().toLowerCase();
  if (w === "k" || w === "thousand" || w === "grand") return 1_000;
  if (w === "m" || w === "million" || w === "mn") return 1_000_000;
  return 1;
}

function toNumber(digits: string, scale: string): number {
  return Number(digits.replace(/[,\s]/g, "")) * scaleOf(scale);
}

/** Every money amount in `text`, in order of position. */
export function findAmounts(text: string): MoneyAmount[] {
  const byIndex = new Map<number, MoneyAmount>();
  for (const re of [BEFORE, AFTER]) {
    for (const m of text.matchAll(re)) {
      const value = toNumber(m[1]!, m[2] ?? "");
      if (!Number.isFinite(value)) continue;
      if (![...byIndex.values()].some((a) => m.index < a.index + a.raw.length && a.index < m.index + m[0].length)) {
        byIndex.set(m.index, { value, raw: m[0].trim(), index: m.index });
      }
    }
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** "$2,500" for reasons; amounts are shown in dollars as the policy limit is. */
export function formatAmount(value: number): string {
  return `$${value.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
}
