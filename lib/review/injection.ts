/**
 * Signs of prompt injection: attempts to override the assistant's
 * instructions, to read its system prompt, role-play jailbreaks, fake chat
 * markup, and instructions hidden in invisible characters or comments.
 */

export interface InjectionSign {
  /** A short name a reviewer can read, e.g. "instruction override". */
  label: string;
  /** How sure the pattern is, 0–1. */
  weight: number;
  matched: string;
}

interface Rule {
  label: string;
  weight: number;
  pattern: RegExp;
}

const VERB_IGNORE = String.raw`(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|set aside|throw out)`;
const PRIOR = String.raw`(?:all\s+|any\s+|the\s+|your\s+|my\s+|these\s+|those\s+|every\s+)*(?:previous|prior|above|earlier|preceding|original|initial|system|existing|old|current)?\s*`;
const RULES_NOUN = String.raw`(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|policies|polic(?:y)|constraints|restrictions|programming|context|messages?)`;

const RULES: Rule[] = [
  { label: "instruction override", weight: 1, pattern: new RegExp(String.raw`\b${VERB_IGNORE}\s+${PRIOR}${RULES_NOUN}\b`, "i") },
  { label: "instruction override", weight: 0.9, pattern: /\b(?:new|updated|real|actual|revised)\s+(?:system\s+)?instructions?\s*[:\-]/i },
  { label: "instruction override", weight: 0.9, pattern: /\binstead\s*,?\s+(?:do|follow|obey)\s+(?:these|the following|my)\b/i },
  { label: "instruction override", weight: 0.8, pattern: /\b(?:do not|don't|never)\s+follow\s+(?:your|the|any)\s+(?:rules|instructions|guidelines|policy)\b/i },
  { label: "role change", weight: 0.9, pattern: /\byou\s+are\s+(?:now|no longer)\b/i },
  { label: "role change", weight: 0.8, pattern: /\bfrom\s+now\s+on,?\s+(?:you|act|respond|answer|reply|behave)\b/i },
  { label: "role change", weight: 0.7, pattern: /\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+(?:were|are)|an?\s+(?:unrestricted|unfiltered|uncensored|different|evil|rogue))\b/i },
  { label: "role-play jailbreak", weight: 0.8, pattern: /\b(?:pretend|imagine|role-?play|let'?s\s+play\s+a\s+game)\b[^.?!]{0,80}\b(?:you\s+(?:are|have|can)|no\s+(?:rules|limits|restrictions|filters)|unrestricted|without\s+(?:rules|restrictions|limits))/i },
  { label: "role-play jailbreak", weight: 1, pattern: /\b(?:DAN|do\s+anything\s+now|developer\s+mode|jailbr(?:eak|oken)|god\s+mode|evil\s+mode|STAN|DUDE\s+mode)\b/ },
  { label: "role-play jailbreak", weight: 0.8, pattern: /\b(?:without|no|ignore)\s+(?:any\s+)?(?:ethical|safety|content)\s+(?:guidelines|filters|restrictions|rules|limits)\b/i },
  { label: "role-play jailbreak", weight: 0.8, pattern: /\b(?:no longer|not)\s+(?:bound|restricted|limited)\s+by\b/i },
  { label: "system prompt exfiltration", weight: 1, pattern: /\b(?:system|hidden|developer|secret)\s+(?:prompt|instructions)\b|\bsystem\s+message\b/i },
  // "the original instructions" is also how customers talk about a setup guide: a weak sign alone.
  { label: "system prompt exfiltration", weight: 0.5, pattern: /\b(?:initial|original|pre-?prompt)\s+(?:prompt|instructions)\b/i },
  {
    label: "system prompt exfiltration",
    weight: 0.9,
    pattern: /\b(?:repeat|print|reveal|show|output|display|dump|leak|tell\s+me|what\s+(?:are|were)|copy|recite)\b[^.?!]{0,40}\b(?:your|the)\s+(?:instructions|prompt|configuration|guidelines|rules\s+you\s+(?:were|are)\s+given)\b/i,
  },
  { label: "system prompt exfiltration", weight: 0.9, pattern: /\b(?:everything|all\s+the\s+text|the\s+text)\s+(?:above|before)\s+(?:this|my)\b/i },
  { label: "fake chat markup", weight: 1, pattern: /<\|(?:im_start|im_end|system|endoftext|begin_of_text|start_header_id)\|>|\[\/?(?:INST|SYS)\]|<<\/?SYS>>|^\s*(?:###\s*)?(?:system|assistant)\s*:/im },
  { label: "hidden instruction", weight: 0.9, pattern: /<!--[\s\S]{0,500}?(?:instruction|assistant|ignore|AI|model|prompt)[\s\S]{0,500}?-->/i },
  { label: "hidden instruction", weight: 0.9, pattern: /\b(?:note|message|instruction)s?\s+(?:to|for)\s+(?:the\s+)?(?:AI|assistant|model|LLM|chatbot|language\s+model)\b/i },
  { label: "hidden instruction", weight: 0.8, pattern: /\bif\s+you\s+are\s+an?\s+(?:AI|assistant|language\s+model|LLM|chatbot)\b/i },
  { label: "hidden instruction", weight: 1, pattern: /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]/u },
  { label: "encoded payload", weight: 0.6, pattern: /\b(?:decode|base64|rot13)\b[^.?!]{0,60}\b(?:follow|execute|run|obey|instructions?)\b/i },
];

/** Every rule that fires on `text`, strongest first. */
export function findInjectionSigns(text: string): InjectionSign[] {
  const signs: InjectionSign[] = [];
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (m) signs.push({ label: rule.label, weight: rule.weight, matched: describeMatch(m[0]) });
  }
  return signs.sort((a, b) => b.weight - a.weight);
}

/** Invisible characters are named, long matches shortened, so the reason stays readable. */
function describeMatch(s: string): string {
  const visible = s.replace(/[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]/gu, "").trim();
  if (visible === "") return "invisible characters";
  const oneLine = visible.replace(/\s+/g, " ");
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}

/** Combines signs into one score: the strongest, nudged up by corroborating ones. */
export function injectionScore(signs: readonly InjectionSign[]): number {
  if (signs.length === 0) return 0;
  const [first, ...rest] = signs;
  const extra = rest.reduce((acc, s) => acc + s.weight * 0.2, 0);
  return Math.min(1, first!.weight + extra);
}
