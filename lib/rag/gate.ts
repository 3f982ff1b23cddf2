/**
 * Sentence gating for the release path: tokens are held back until their
 * sentence is complete and the answer-level checks have passed on everything
 * so far, so text that would escalate never reaches the agent.
 */

/** The end of the last complete sentence in `text`, or 0. */
export function lastSentenceEnd(text: string): number {
  let end = 0;
  const re = /[.!?](?=\s)|\n\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) end = m.index + m[0].length;
  return end;
}

export interface SentenceGate {
  /** Adds generated text; returns the text now safe to send (possibly empty). */
  push(token: string): Promise<string>;
  /** At the end: checks and returns the rest. */
  flush(): Promise<string>;
  /** Whether a check escalated; after that nothing more is released. */
  readonly stopped: boolean;
  readonly text: string;
  /** The text released so far (what the agent has seen). */
  readonly released: string;
}

/** `check(textSoFar)` returns true when the text may be released. */
export function createSentenceGate(check: (textSoFar: string) => Promise<boolean> | boolean): SentenceGate {
  let text = "";
  let released = 0;
  let stopped = false;
  const release = async (upTo: number) => {
    if (stopped || upTo <= released) return "";
    if (!(await check(text.slice(0, upTo)))) {
      stopped = true;
      return "";
    }
    const out = text.slice(released, upTo);
    released = upTo;
    return out;
  };
  return {
    async push(token) {
      text += token;
      return release(lastSentenceEnd(text));
    },
    flush() {
      return release(text.length);
    },
    get stopped() {
      return stopped;
    },
    get text() {
      return text;
    },
    get released() {
      return text.slice(0, released);
    },
  };
}
