/**
 * Links between the documents of one knowledge base: a passage of
 * `manual/mod/mod_ssl.html` that links to `../howto/ssl.html#setup` leads to
 * the document stored as `manual/howto/ssl.html`, opened at `setup`. Links to
 * the web are not this module's business; links that leave the knowledge
 * base's folder, or point nowhere, resolve to nothing.
 */
import path from "node:path/posix";

/** The address the jsdom-based converter (before afbee10) gave relative links: passages stored then carry it. */
const PLACEHOLDER = /^https?:\/\/[^/]*\.invalid(\/[^?#]*)?([^#]*)(#.*)?$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export interface LinkTarget {
  /** The linked file's name as the knowledge base stores it (folders included). */
  fileName: string;
  /** The part after #, if any. */
  fragment?: string;
}

/** Where `href`, written inside document `fromFileName`, leads within the knowledge base. */
export function linkTarget(fromFileName: string, href: string): LinkTarget | null {
  const placeholder = PLACEHOLDER.exec(href);
  let target = placeholder ? `${(placeholder[1] ?? "/").slice(1)}${placeholder[3] ?? ""}` : href;
  if (!placeholder && (SCHEME.test(target) || target.startsWith("//"))) return null;
  const hash = target.indexOf("#");
  const fragment = hash >= 0 ? decodeSafely(target.slice(hash + 1)) : undefined;
  target = (hash >= 0 ? target.slice(0, hash) : target).replace(/\?.*$/, "");
  if (target === "") return null; // a link within the same page
  const joined = placeholder ? path.normalize(target) : path.normalize(path.join(path.dirname(fromFileName), decodeSafely(target)));
  if (joined.startsWith("..") || path.isAbsolute(joined)) return null;
  return { fileName: joined, ...(fragment ? { fragment } : {}) };
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The document viewer's address for a document, opened at `fragment` when given. */
export function viewerHref(docId: string, fragment?: string): string {
  return `/documents/${docId}${fragment ? `?anchor=${encodeURIComponent(fragment)}` : ""}`;
}
