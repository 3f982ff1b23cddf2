/**
 * Deterministic support-manual prose for the ingestion benchmark: a seeded
 * generator of Markdown handbooks (headings, paragraphs, step lists, tables)
 * whose vocabulary varies enough that the tokenizer and BM25 index see
 * realistic text rather than one repeated sentence.
 */
import { seededRandom } from "@/lib/random";

const PRODUCTS = ["Beacon Gateway", "Ledger Cloud", "Atlas terminal", "Relay mobile app", "Harbor backup service", "Signal desk phone", "Compass analytics", "Anchor storage array", "Pilot scheduling portal", "Keel payroll module"];
const TOPICS = [
  "refunds", "billing", "invoices", "account security", "two-factor authentication", "single sign-on", "data export", "data deletion",
  "outage credits", "shipping", "returns", "warranty claims", "firmware updates", "network setup", "printer pairing", "password resets",
  "user roles", "audit logs", "API rate limits", "webhooks", "tax settings", "plan upgrades", "trial extensions", "backups and restores",
  "mobile notifications", "VPN access", "email delivery", "calendar sync", "device replacement", "contract renewals",
];
const ROLES = ["workspace owner", "billing admin", "support agent", "team lead", "security officer", "account manager", "field technician", "end user", "finance contact", "IT administrator"];
const VERBS = ["open", "select", "confirm", "check", "verify", "restart", "update", "export", "disable", "enable", "review", "attach", "escalate", "record", "reset"];
const OBJECTS = ["the settings page", "the billing history", "the device log", "the admin console", "the customer record", "the error report", "the shipping label", "the invoice PDF", "the recovery codes", "the network diagnostics", "the audit trail", "the renewal quote"];
const TIMES = ["within 24 hours", "within two business days", "before the end of the billing cycle", "after 30 minutes", "within 14 days", "at the next sign-in", "once a week", "before the contract renews", "within one hour", "after the firmware finishes installing"];
const CONDITIONS = ["If the customer cannot sign in", "When the payment fails twice", "If the device shows a red status light", "When a refund exceeds the agent limit", "If the export is larger than 2 GB", "When the courier marks the parcel as lost", "If the certificate has expired", "When two accounts share one email address", "If the warranty period has ended", "When the outage lasted longer than four hours"];
const OUTCOMES = ["the request moves to the second-line queue", "the agent issues a prorated credit", "the system locks the account for thirty minutes", "a confirmation email goes to the billing contact", "the ticket is tagged for the security team", "the replacement ships by express courier", "the customer receives a prepaid return label", "the change appears on the next invoice", "the old data is purged after seven days", "the integration retries with exponential backoff"];
const ADJECTIVES = ["annual", "monthly", "regional", "primary", "secondary", "encrypted", "scheduled", "manual", "automatic", "temporary", "permanent", "shared", "dedicated", "legacy", "current"];
const NOUNS = ["subscription", "credit note", "service level", "access token", "payment method", "support ticket", "hardware unit", "data center", "storage quota", "customer portal", "delivery address", "maintenance window", "license key", "escalation path", "retention policy"];

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const code = (rand: () => number) => `E-${1000 + Math.floor(rand() * 9000)}`;

function sentence(rand: () => number, topic: string): string {
  const product = pick(rand, PRODUCTS);
  switch (Math.floor(rand() * 8)) {
    case 0:
      return `${pick(rand, CONDITIONS)}, ${pick(rand, OUTCOMES)}.`;
    case 1:
      return `A ${pick(rand, ROLES)} can ${pick(rand, VERBS)} ${pick(rand, OBJECTS)} for ${topic} ${pick(rand, TIMES)}.`;
    case 2:
      return `For ${product}, the ${pick(rand, ADJECTIVES)} ${pick(rand, NOUNS)} is reviewed ${pick(rand, TIMES)}, and ${pick(rand, OUTCOMES)}.`;
    case 3:
      return `Error ${code(rand)} on ${product} means the ${pick(rand, NOUNS)} could not be verified; ${pick(rand, VERBS)} ${pick(rand, OBJECTS)} and try again.`;
    case 4:
      return `Agents should never ask for a password or a one-time code when handling ${topic}; instead they ${pick(rand, VERBS)} ${pick(rand, OBJECTS)}.`;
    case 5:
      return `${cap(topic)} requests for a ${pick(rand, ADJECTIVES)} ${pick(rand, NOUNS)} are limited to ${2 + Math.floor(rand() * 40)} per month on the ${pick(rand, ["Starter", "Business", "Enterprise"])} plan.`;
    case 6:
      return `The ${pick(rand, ROLES)} receives a notification ${pick(rand, TIMES)}, so nobody has to ${pick(rand, VERBS)} ${pick(rand, OBJECTS)} by hand.`;
    default:
      return `Customers who use ${product} in more than one region see the ${pick(rand, ADJECTIVES)} ${pick(rand, NOUNS)} listed separately for each ${pick(rand, ["site", "workspace", "billing entity", "contract"])}.`;
  }
}

function paragraph(rand: () => number, topic: string): string {
  const n = 3 + Math.floor(rand() * 5);
  return Array.from({ length: n }, () => sentence(rand, topic)).join(" ");
}

function steps(rand: () => number): string {
  const n = 3 + Math.floor(rand() * 4);
  return Array.from({ length: n }, (_, i) => `${i + 1}. ${cap(pick(rand, VERBS))} ${pick(rand, OBJECTS)} ${pick(rand, TIMES)}.`).join("\n");
}

function table(rand: () => number): string {
  const rows = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => `| ${pick(rand, PRODUCTS)} | ${cap(pick(rand, ADJECTIVES))} ${pick(rand, NOUNS)} | ${pick(rand, TIMES)} |`);
  return ["| Product | Item | Time limit |", "| --- | --- | --- |", ...rows].join("\n");
}

/** Roughly `words` words of Markdown handbook with a title, sections and subsections. */
export function generateHandbook(seed: number, words: number): { title: string; markdown: string } {
  const rand = seededRandom(seed);
  const product = pick(rand, PRODUCTS);
  const title = `${product} ${cap(pick(rand, TOPICS))} Handbook ${seed}`;
  const parts: string[] = [`# ${title}`, paragraph(rand, "support")];
  let count = parts.join(" ").split(/\s+/).length;
  while (count < words) {
    const topic = pick(rand, TOPICS);
    const section: string[] = [`## ${cap(topic)} for ${pick(rand, ROLES)}s`, paragraph(rand, topic)];
    for (let sub = 0, subs = 1 + Math.floor(rand() * 3); sub < subs; sub++) {
      section.push(`### ${cap(pick(rand, VERBS))} ${pick(rand, OBJECTS)}`, paragraph(rand, topic));
      const extra = rand();
      if (extra < 0.3) section.push(steps(rand));
      else if (extra < 0.4) section.push(table(rand));
      section.push(paragraph(rand, topic));
    }
    parts.push(...section);
    count += section.join(" ").split(/\s+/).length;
  }
  return { title, markdown: `${parts.join("\n\n")}\n` };
}
