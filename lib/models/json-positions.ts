/**
 * Maps JSON paths to line and column numbers, so a schema error found on the
 * parsed value can be reported at the place in the file a person must edit.
 * JSON.parse keeps no positions, hence this small scanner; it follows RFC 8259.
 */

/** 1-based line and column of a character in the text. */
export interface JsonPosition {
  line: number;
  column: number;
}

export type JsonPath = readonly (string | number)[];

/** Where a path was found: `exact` is false when only an ancestor exists (a missing field). */
export interface JsonLocation extends JsonPosition {
  exact: boolean;
}

export interface JsonPositionMap {
  /** Position of the value at `path` (for an object member, of its key), or of the nearest existing ancestor. */
  locate(path: JsonPath): JsonLocation;
  /** Members that appear twice in the same object; JSON.parse silently keeps the last one. */
  duplicateKeys: { path: (string | number)[]; position: JsonPosition }[];
}

/** Invalid JSON, with the position where the scanner stopped. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = "JsonSyntaxError";
  }
}

const keyOf = (path: JsonPath) => JSON.stringify(path);
/** true, false, null or a number, matched at lastIndex only (sticky). */
const LITERAL = /(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

/** Scan `text` and record the position of every value; throws JsonSyntaxError on invalid JSON. */
export function mapJsonPositions(text: string): JsonPositionMap {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);

  const positionAt = (offset: number): JsonPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };

  const offsets = new Map<string, number>();
  const duplicateKeys: JsonPositionMap["duplicateKeys"] = [];
  let i = 0;

  const fail = (message: string, at = i): never => {
    const p = positionAt(Math.min(at, text.length));
    throw new JsonSyntaxError(message, p.line, p.column);
  };
  const describe = (at: number) => (at >= text.length ? "end of input" : `${JSON.stringify(text[at])}`);

  const skipWhitespace = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else break;
    }
  };

  const readString = (): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) fail("control character in string");
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("invalid escape in string");
      } else {
        out += c;
        i++;
      }
    }
  };

  const parseValue = (path: (string | number)[]): void => {
    skipWhitespace();
    if (!offsets.has(keyOf(path))) offsets.set(keyOf(path), i);
    const c = text[i];
    if (c === "{") return parseObject(path);
    if (c === "[") return parseArray(path);
    if (c === '"') {
      readString();
      return;
    }
    LITERAL.lastIndex = i;
    const literal = LITERAL.exec(text);
    if (!literal) fail(`unexpected ${describe(i)}`);
    i += (literal as RegExpExecArray)[0].length;
  };

  const parseObject = (path: (string | number)[]): void => {
    i++;
    const seen = new Set<string>();
    skipWhitespace();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe(i)}`);
      const keyStart = i;
      const key = readString();
      const memberPath = [...path, key];
      if (seen.has(key)) duplicateKeys.push({ path: memberPath, position: positionAt(keyStart) });
      seen.add(key);
      // An object member is located at its key: that is the line a person edits.
      offsets.set(keyOf(memberPath), keyStart);
      skipWhitespace();
      if (text[i] !== ":") fail(`expected ":" after property name, found ${describe(i)}`);
      i++;
      parseValue(memberPath);
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail(`expected "," or "}" in object, found ${describe(i)}`);
    }
  };

  const parseArray = (path: (string | number)[]): void => {
    i++;
    skipWhitespace();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      parseValue([...path, index]);
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail(`expected "," or "]" in array, found ${describe(i)}`);
    }
  };

  parseValue([]);
  skipWhitespace();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);

  return {
    duplicateKeys,
    locate(path) {
      for (let n = path.length; n >= 0; n--) {
        const offset = offsets.get(keyOf(path.slice(0, n)));
        if (offset !== undefined) return { ...positionAt(offset), exact: n === path.length };
      }
      return { line: 1, column: 1, exact: false };
    },
  };
}

/** Format a path the way people read it: `models[1].files[0].sha256`. */
export function formatJsonPath(path: JsonPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(root)" : out;
}
