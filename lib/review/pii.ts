/**
 * Personal data in free text: emails, phone numbers, payment cards (Luhn),
 * IBANs (mod-97), US social security numbers and UK National Insurance numbers.
 * Patterns are deliberately checked (checksums, valid ranges) so order numbers
 * and dates are not mistaken for personal data.
 */

export type PiiKind = "email" | "phone" | "card" | "iban" | "us-ssn" | "uk-nino";

export interface PiiFinding {
  kind: PiiKind;
  /** The value as written. */
  value: string;
}

export const PII_LABELS: Record<PiiKind, string> = {
  email: "an email address",
  phone: "a phone number",
  card: "a payment card number",
  iban: "an IBAN",
  "us-ssn": "a US social security number",
  "uk-nino": "a UK National Insurance number",
};

const EMAIL = /(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w-])/gi;
// Digit runs with optional single separators; the checks below decide what they are.
const DIGIT_RUN = /(?<![\w-])\+?\(?\d(?:[\d]|[ .-]\(?\d|\)[ .-]?\d)*\d(?![\w-])/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{1,4}){3,8}(?![A-Za-z0-9])/g;
const SSN = /(?<![\w-])(\d{3})[- ](\d{2})[- ](\d{4})(?![\w-])/g;
const NINO = /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![A-Za-z0-9])/gi;
const NINO_BAD_PREFIX = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);

/** The Luhn checksum used by payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of v) rem = (rem * 10 + Number(digit)) % 97;
  }
  return rem === 1;
}

function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== "00" && serial !== "0000";
}

/** A digit run that is a card number, a phone number, or neither. */
function classifyDigits(raw: string): PiiKind | null {
  const digits = raw.replace(/\D/g, "");
  const separated = /[ .()-]/.test(raw);
  if (digits.length >= 13 && digits.length <= 19 && !raw.startsWith("+") && luhnValid(digits)) return "card";
  // Long unseparated runs are usually order or serial numbers, unless dialled with +.
  if (digits.length >= 10 && digits.length <= 15 && (raw.startsWith("+") || separated)) {
    if (/^\d{4}-\d{2}-\d{2}/.test(raw)) return null; // an ISO date with more digits after it
    return "phone";
  }
  return null;
}

/** Every piece of personal data found in `text`: emails, IBANs, SSNs, NI numbers, then cards and phones. */
export function findPii(text: string): PiiFinding[] {
  const found: PiiFinding[] = [];
  const seen = new Set<string>();
  // Spans already explained (an IBAN's digits are not also a phone number).
  const covered: [number, number][] = [];
  const add = (kind: PiiKind, m: RegExpMatchArray) => {
    covered.push([m.index!, m.index! + m[0].length]);
    const value = m[0].trim();
    if (!seen.has(`${kind}:${value}`)) found.push({ kind, value });
    seen.add(`${kind}:${value}`);
  };
  const isCovered = (m: RegExpMatchArray) => covered.some(([a, b]) => m.index! < b && a < m.index! + m[0].length);
  for (const m of text.matchAll(EMAIL)) add("email", m);
  for (const m of text.matchAll(IBAN)) if (ibanValid(m[0])) add("iban", m);
  for (const m of text.matchAll(SSN)) if (!isCovered(m) && ssnValid(m[1]!, m[2]!, m[3]!)) add("us-ssn", m);
  for (const m of text.matchAll(NINO)) {
    if (!isCovered(m) && !NINO_BAD_PREFIX.has(`${m[1]}${m[2]}`.toUpperCase())) add("uk-nino", m);
  }
  for (const m of text.matchAll(DIGIT_RUN)) {
    if (isCovered(m)) continue;
    const kind = classifyDigits(m[0]);
    if (kind) add(kind, m);
  }
  return found;
}

/** Shows enough of a value for a reviewer to recognise it without repeating it whole. */
export function maskPii(f: PiiFinding): string {
  const v = f.value;
  if (f.kind === "email") {
    const [user = "", domain = ""] = v.split("@");
    return `${user.slice(0, 1)}…@${domain}`;
  }
  const compact = v.replace(/\s+/g, "");
  return `${"•".repeat(Math.max(0, Math.min(compact.length - 4, 8)))}${compact.slice(-4)}`;
}

/** `text` with every piece of personal data masked, for lists and titles (the full text stays on the item's own page). */
export function maskPiiIn(text: string): string {
  let out = text;
  for (const f of findPii(text)) out = out.split(f.value).join(maskPii(f));
  return out;
}
