/**
 * What the risk classifier tells apart: the high-stakes categories, injection
 * attempts, and routine questions. The plain names are what an agent and a
 * reviewer read ("Held for review: money commitment").
 */
export const RISK_CATEGORIES = [
  { id: "money", name: "money commitment", covers: "refunds, credits, compensation, fee waivers, paying third-party costs, discounts" },
  { id: "guarantees", name: "guarantee or promise", covers: "uptime, prices, dates, outcomes" },
  { id: "legal", name: "legal matter", covers: "threats, liability, admitting fault, contracts, disputes" },
  { id: "health", name: "health or medical", covers: "symptoms, medication, allergies, medical devices" },
  { id: "safety", name: "physical safety", covers: "injury, heat, fire, batteries, choking, recalls" },
  { id: "child_safety", name: "child safety", covers: "children at risk, minors' accounts, parental consent" },
  { id: "account_security", name: "account security", covers: "owner, email or phone changes, 2FA, verification shortcuts" },
  { id: "privacy", name: "privacy and personal data", covers: "misdirected data, deletion or export requests, another customer's data, leaked cards" },
  { id: "regulated_advice", name: "regulated advice", covers: "tax, legal, financial or insurance advice" },
  { id: "employment", name: "employment or HR", covers: "pay, dismissal, workplace complaints, references" },
  { id: "law_enforcement", name: "law enforcement or sanctions", covers: "police, court orders, fraud investigations, embargoes" },
  { id: "bypass", name: "request to bypass policy or review", covers: "exceptions, skipping approval, not logging" },
  { id: "injection", name: "prompt injection", covers: "attempts to steer the assistant rather than ask a question" },
] as const;

export type RiskCategoryId = (typeof RISK_CATEGORIES)[number]["id"];
export const ROUTINE = "routine";
/** Every class the classifier scores: the categories, then routine. */
export const CLASSIFIER_CLASSES: readonly string[] = [...RISK_CATEGORIES.map((c) => c.id), ROUTINE];

export function categoryName(id: string): string {
  return RISK_CATEGORIES.find((c) => c.id === id)?.name ?? id;
}
