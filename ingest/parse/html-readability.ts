/**
 * The slow path, for a page whose content neither its semantics nor its furniture
 * give away: Mozilla's Readability over jsdom (about 60 ms a page), its result then
 * converted like any other HTML. Loaded only when needed.
 */
import { Readability } from "@mozilla/readability";
import { JSDOM } from "jsdom";

/** The main content's HTML by Readability's scoring, or undefined when it finds none. */
export function readabilityContent(html: string): string | undefined {
  // No runScripts and no resources: jsdom never executes or fetches anything.
  const dom = new JSDOM(html);
  try {
    const document = dom.window.document;
    for (const el of document.querySelectorAll("script,style,noscript,template,iframe,object,embed")) el.remove();
    return new Readability(document, { keepClasses: false }).parse()?.content ?? undefined;
  } finally {
    dom.window.close();
  }
}
