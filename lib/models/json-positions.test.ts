import { describe, expect, it } from "vitest";
import { formatJsonPath, JsonSyntaxError, mapJsonPositions } from "./json-positions";

const text = [
  "{", //                                   1
  '  "version": 1,', //                     2
  '  "models": [', //                       3
  "    {", //                               4
  '      "id": "a\\"b",', //                5
  '      "files": [', //                    6
  '        { "path": "x", "size": 3 }', //  7
  "      ]", //                             8
  "    },", //                              9
  '    { "id": "c", "n": -1.5e3 }', //      10
  "  ]", //                                 11
  "}", //                                   12
].join("\n");

describe("mapJsonPositions", () => {
  const map = mapJsonPositions(text);

  it("locates object members at their key and array items at their value", () => {
    expect(map.locate(["version"])).toEqual({ line: 2, column: 3, exact: true });
    expect(map.locate(["models", 0])).toEqual({ line: 4, column: 5, exact: true });
    expect(map.locate(["models", 0, "id"])).toEqual({ line: 5, column: 7, exact: true });
    expect(map.locate(["models", 0, "files", 0, "size"])).toEqual({ line: 7, column: 24, exact: true });
    expect(map.locate(["models", 1, "n"])).toEqual({ line: 10, column: 18, exact: true });
  });

  it("falls back to the nearest ancestor for a missing field", () => {
    expect(map.locate(["models", 1, "files", 0, "sha256"])).toEqual({ line: 10, column: 5, exact: false });
  });

  it("reports duplicate keys, which JSON.parse would silently merge", () => {
    const dup = mapJsonPositions('{\n  "a": 1,\n  "b": {"x": 1,\n "x": 2}\n}');
    expect(dup.duplicateKeys).toEqual([{ path: ["b", "x"], position: { line: 4, column: 2 } }]);
  });

  it.each([
    ['{\n  "a": 1,\n}', "expected a double-quoted property name, found \"}\"", 3, 1],
    ['{\n  "a": [1 2]\n}', 'expected "," or "]" in array, found "2"', 2, 11],
    ['{\n  "a": "unterminated\n}', "control character in string", 2, 21],
    ["{\n  'a': 1\n}", "expected a double-quoted property name, found \"'\"", 2, 3],
    ['{"a": 1} x', 'unexpected "x" after the end of the document', 1, 10],
    ['{"a": tru}', 'unexpected "t"', 1, 7],
    ["", "unexpected end of input", 1, 1],
  ])("rejects %j with a position", (input, message, line, column) => {
    let error: unknown;
    try {
      mapJsonPositions(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ message: `${message} at line ${line}, column ${column}`, line, column });
  });

  it("agrees with JSON.parse on every one-character deletion of a document", () => {
    const doc = '{"a": [1, -2.5e3, "x\\n\\u00e9"], "b": {"c": null, "d": true, "e": false}, "f": 10}';
    const parses = (t: string, f: (t: string) => unknown) => {
      try {
        f(t);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < doc.length; i++) {
      const broken = doc.slice(0, i) + doc.slice(i + 1);
      expect([i, parses(broken, mapJsonPositions)]).toEqual([i, parses(broken, JSON.parse)]);
    }
  });

  it("accepts everything JSON.parse accepts in a sample of tricky values", () => {
    const tricky = '{"s": "\\u00e9\\n\\/", "n": [0, -0.5, 1E+2, true, false, null], "e": {}, "a": []}';
    expect(() => mapJsonPositions(tricky)).not.toThrow();
    expect(JSON.parse(tricky)).toBeTruthy();
  });
});

describe("formatJsonPath", () => {
  it("reads like code", () => {
    expect(formatJsonPath(["models", 1, "files", 0, "sha256"])).toBe("models[1].files[0].sha256");
    expect(formatJsonPath(["$schema"])).toBe("$schema");
    expect(formatJsonPath(["a", "b-c"])).toBe('a["b-c"]');
    expect(formatJsonPath([])).toBe("(root)");
  });
});
