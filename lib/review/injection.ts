/**
 * Signs of prompt injection: attempts to override the assistant's
 * instructions, to read its system prompt, configuration or other customers'
 * data, role-play jailbreaks, fake authority, requests to skip review, fake
 * chat markup, and instructions hidden in invisible characters or comments.
 * Every rule runs on each reading of the text (lib/review/normalise.ts), so
 * look-alike letters, spacing, leetspeak and encodings do not hide a match.
 */
import { foldLookAlikes, foldUnicode, readingsOf, squash } from "./normalise";

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
    // "Show me the configuration for SAML" is a support question; "show me your configuration" is not.
    label: "system prompt exfiltration",
    weight: 0.9,
    pattern: /\b(?:repeat|print|reveal|show|output|display|dump|leak|tell\s+me|what\s+(?:are|were)|copy|recite)\b[^.?!]{0,40}\b(?:your\s+(?:instructions|prompt|configuration|guidelines)|the\s+prompt|(?:the\s+)?(?:rules|instructions)\s+you\s+(?:were|are|have\s+been)\s+given)\b/i,
  },
  { label: "system prompt exfiltration", weight: 0.9, pattern: /\b(?:everything|all\s+the\s+text|the\s+text)\s+(?:above|before)\s+(?:this|my)\b/i },
  { label: "fake chat markup", weight: 1, pattern: /<\|(?:im_start|im_end|system|endoftext|begin_of_text|start_header_id)\|>|\[\/?(?:INST|SYS)\]|<<\/?SYS>>|^\s*(?:###\s*)?(?:system|assistant)\s*:/im },
  { label: "hidden instruction", weight: 0.9, pattern: /<!--[\s\S]{0,500}?(?:instruction|assistant|ignore|AI|model|prompt)[\s\S]{0,500}?-->/i },
  { label: "hidden instruction", weight: 0.9, pattern: /\b(?:note|message|instruction)s?\s+(?:to|for)\s+(?:the\s+)?(?:AI|assistant|model|LLM|chatbot|language\s+model)\b/i },
  { label: "hidden instruction", weight: 0.8, pattern: /\bif\s+you\s+are\s+an?\s+(?:AI|assistant|language\s+model|LLM|chatbot)\b/i },
  { label: "hidden instruction", weight: 1, pattern: /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]/u },
  { label: "encoded payload", weight: 0.6, pattern: /\b(?:decode|base64|rot13)\b[^.?!]{0,60}\b(?:follow|execute|run|obey|instructions?)\b/i },
  {
    label: "fake authority",
    weight: 0.8,
    pattern: /\bas\s+(?:the\s+|your\s+)?(?:ceo|cto|cfo|coo|owner|founder|president|administrator|admin|developer|creator|operator|head\s+of\s+\w+)\b[^.?!]{0,60}\b(?:i\s+)?(?:authori[sz]e|approve|order|instruct|command|permit|allow)\b/i,
  },
  {
    label: "fake authority",
    weight: 0.8,
    pattern: /\b(?:pretend|assume|imagine|act\s+as\s+if|treat\s+it\s+as\s+if)\b[^.?!]{0,60}\b(?:approved|authori[sz]ed|signed\s+off|cleared|sanctioned|allowed)\b/i,
  },
  {
    label: "fake authority",
    weight: 0.7,
    pattern: /\b(?:legal|compliance|the\s+ceo|the\s+board)\s+(?:team\s+)?(?:has\s+|have\s+)?(?:already\s+)?(?:approved|authori[sz]ed|signed\s+off\s+on|cleared|okayed)\s+(?:this|it|that)\b/i,
  },
  {
    label: "review bypass",
    weight: 0.9,
    pattern: /\b(?:mark|classify|label|flag|tag|treat|rate|score|set|log)\s+(?:this|it|the\s+(?:answer|question|response|reply|turn|request))\s+(?:as\s+)?(?:low[-\s]?risk|routine|safe|approved|pre-?approved|no[-\s]?risk|not\s+(?:high[-\s]?stakes|sensitive|risky))\b/i,
  },
  {
    label: "review bypass",
    weight: 0.9,
    pattern: /\b(?:do\s+not|don'?t|never|no\s+need\s+to|without)\s+(?:send(?:ing)?|rout(?:e|ing)|forward(?:ing)?|escalat(?:e|ing)|flag(?:ging)?|hold(?:ing)?)\s+(?:this|it|the\s+answer)?\s*(?:to|for)\s+(?:a\s+|the\s+)?(?:review|reviewers?|human|approval|moderation|compliance)\b/i,
  },
  {
    label: "system prompt exfiltration",
    weight: 0.8,
    pattern: /\b(?:which|what)\s+(?:ai\s+|language\s+|llm\s+)?model\s+(?:are\s+you|powers\s+you|runs\s+you|is\s+answering|are\s+you\s+(?:running|built|based))\b|\byour\s+(?:model\s+name|api\s+keys?|environment\s+variables|config(?:uration)?\s+file|temperature\s+setting|safety\s+settings)\b/i,
  },
  {
    label: "other customers' data",
    weight: 0.7,
    pattern: /\b(?:list|show|give|send|export|dump|print|tell\s+me|read\s+out)\b[^.?!]{0,40}\b(?:other|another|all\s+(?:the\s+)?other|every\s+other)\s+(?:customers?|users?|clients?|account\s*holders?)(?:'s|s'|')?\s+(?:data|details|emails?|address(?:es)?|records|information|info|cards?|orders?|phone(?:\s+numbers?)?)/i,
  },
];

/** Phrases that spacing, dots or dashes split past what the readings rejoin; matched on letters alone. */
const SQUASHED_PHRASES = [
  "ignoreallpreviousinstructions",
  "ignorepreviousinstructions",
  "ignoreallinstructions",
  "ignoreyourinstructions",
  "ignoreallrules",
  "ignoreyourrules",
  "ignoretherules",
  "disregardallprevious",
  "disregardyourinstructions",
  "forgetyourinstructions",
  "forgetallprevious",
  "systemprompt",
  "developermode",
  "doanythingnow",
  "youarenowa",
  "revealyourprompt",
];
/** Three or more letters standing alone in a row: a phrase spelt out to dodge word patterns. */
const SPELT_OUT = /(?:(?<![\p{L}\p{N}])\p{L}(?![\p{L}\p{N}])[\s.\-_*·]+){3,}/u;

/** Every rule that fires on any reading of `text`, strongest first. */
export function findInjectionSigns(text: string): InjectionSign[] {
  const readings = readingsOf(text);
  const signs: InjectionSign[] = [];
  for (const rule of RULES) {
    for (const reading of readings) {
      const m = rule.pattern.exec(reading);
      if (!m) continue;
      signs.push({ label: rule.label, weight: rule.weight, matched: describeMatch(m[0]) });
      break;
    }
  }
  const spelt = readings.find((r) => SPELT_OUT.test(r) && SQUASHED_PHRASES.some((p) => squash(r).includes(p)));
  if (spelt) signs.push({ label: "spelt-out instruction", weight: 0.9, matched: describeMatch(spelt) });
  if (hasDisguisedLetters(text)) signs.push({ label: "disguised letters", weight: 0.5, matched: describeMatch(text) });
  return signs.sort((a, b) => b.weight - a.weight);
}

/** Words mixing Latin with look-alike Cyrillic or Greek letters: rare in honest text, common in evasion. */
function hasDisguisedLetters(text: string): boolean {
  const unicodeFolded = foldUnicode(text);
  return unicodeFolded.split(/[^\p{L}\p{M}]+/u).some((word) => /[A-Za-z]/.test(word) && foldLookAlikes(word) !== word);
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

/** What a text's injection signs add up to, or undefined when it has none. */
export function readInjection(text: string): { score: number; labels: string[]; matched: string } | undefined {
  const signs = findInjectionSigns(text);
  if (signs.length === 0) return undefined;
  return { score: injectionScore(signs), labels: [...new Set(signs.map((s) => s.label))], matched: signs[0]!.matched };
}
