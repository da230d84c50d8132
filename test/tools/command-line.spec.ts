/**
 * The command lines of tools/ other than plan's (test/tools/plan-cli.spec.ts) and evidence's
 * (test/evidence/): each parsed by node:util parseArgs through tools/command-line.ts, in-process.
 */
import * as assert from "assert";
import { parseBenchArgs } from "../../bench/run";
import { parseFlags, UsageError } from "../../tools/command-line";
import { parseValueCheckArgs, USAGE as VALUE_CHECK_USAGE } from "../../tools/value-check/cli";

describe("command lines (node:util parseArgs)", () => {
  describe("parseFlags", () => {
    const spec = { out: "string", pdf: "boolean" } as const;
    it("takes --flag value and --flag=value, switches, and positionals up to the limit", () => {
      const parsed = parseFlags(["a.json", "--out", "x", "--pdf"], spec, "U", 1);
      assert.deepStrictEqual(
        { ...parsed, values: { ...parsed.values } },
        { help: false, values: { out: "x", pdf: true }, positionals: ["a.json"] },
      );
      assert.deepStrictEqual({ ...parseFlags(["--out=x"], spec, "U").values }, { out: "x" });
    });
    it("names an unknown flag, a missing or empty value, a value given to a switch and a stray positional, each with the usage", () => {
      const usage = "usage: test";
      const cases: [string[], RegExp][] = [
        [["--verbose"], /^unknown option --verbose\nusage: test$/],
        [["--out"], /^--out needs a value\nusage: test$/],
        [["--out="], /^--out needs a value\nusage: test$/],
        [["--pdf=yes"], /^--pdf takes no value\nusage: test$/],
        [["a", "b"], /^unexpected argument b\nusage: test$/],
      ];
      for (const [argv, message] of cases) {
        assert.throws(
          () => parseFlags(argv, spec, usage, 1),
          (e: unknown) => e instanceof UsageError && message.test(e.message),
          argv.join(" "),
        );
      }
    });
    it("--help or -h anywhere wins over everything else", () => {
      assert.deepStrictEqual(parseFlags(["--verbose", "-h"], spec, "U"), { help: true, values: {}, positionals: [] });
      assert.strictEqual(parseFlags(["x", "y", "--help"], spec, "U").help, true);
    });
  });

  describe("npm run value-check", () => {
    it("takes one plan file and --unchecked", () => {
      assert.deepStrictEqual(parseValueCheckArgs(["plan.json"]), { file: "plan.json", unchecked: false });
      assert.deepStrictEqual(parseValueCheckArgs(["--unchecked", "plan.json"]), { file: "plan.json", unchecked: true });
      assert.deepStrictEqual(parseValueCheckArgs(["plan.json", "--help"]), { help: true });
      assert.match(VALUE_CHECK_USAGE, /^usage: npm run value-check -- <plan\.json> \[--unchecked\]/);
    });
    it("refuses no file, two files and an unknown flag (which it used to ignore)", () => {
      assert.throws(
        () => parseValueCheckArgs([]),
        (e: unknown) => e instanceof UsageError && /^no plan file given/.test(e.message),
      );
      assert.throws(() => parseValueCheckArgs(["a.json", "b.json"]), /unexpected argument b\.json/);
      assert.throws(() => parseValueCheckArgs(["a.json", "--uncheked"]), /unknown option --uncheked/);
    });
  });

  describe("npm run bench", () => {
    it("takes any number of file-name filters and --json", () => {
      assert.deepStrictEqual(parseBenchArgs([]), { json: false, filters: [] });
      assert.deepStrictEqual(parseBenchArgs(["data-processor", "--json", "authorizer"]), {
        json: true,
        filters: ["data-processor", "authorizer"],
      });
      assert.deepStrictEqual(parseBenchArgs(["-h"]), { help: true });
    });
    it("refuses an unknown flag with the usage, and a value given to --json", () => {
      assert.throws(
        () => parseBenchArgs(["--jsno"]),
        (e: unknown) => e instanceof UsageError && /^unknown option --jsno\nusage: npm run bench/.test(e.message),
      );
      assert.throws(() => parseBenchArgs(["--json=yes"]), /--json takes no value/);
    });
  });
});
