import { describe, expect, it } from "vitest";
import { parseJsonLines } from "./json-lines";

const numbers = (json: unknown) => (typeof json === "number" ? json : undefined);

describe("parseJsonLines", () => {
  it("reads one value a line, skipping blank lines and // comments", () => {
    expect(parseJsonLines("1\n\n// a note\n  2  \n", "n.jsonl", numbers, "a number")).toEqual([1, 2]);
  });

  it("names the file and line of a value that is not JSON or not what is expected", () => {
    expect(() => parseJsonLines("1\n{oops", "n.jsonl", numbers, "a number")).toThrow("n.jsonl line 2: not valid JSON");
    expect(() => parseJsonLines('1\n\n"two"', "n.jsonl", numbers, "a number")).toThrow("n.jsonl line 3: expected a number");
  });
});
