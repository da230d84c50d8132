/**
 * The suite itself: every test of the run (whatever folder its spec lives in, test/ or policy-pack/)
 * has a full title no other test has, so a report names exactly one test and a repeated test
 * cannot hide among identical titles.
 */
import * as assert from "assert";
import * as fs from "fs";
import type { Suite } from "mocha";

/** When set, the file this run writes its tests' full titles to (npm test compares its two mocha runs: test/support/check-all.ts). */
export const RUN_TITLES_ENV = "HCP_RUN_TITLES_FILE";

/** Every test under `suite`: full title and spec file. */
function testsOf(suite: Suite): { title: string; file: string }[] {
  return [...suite.tests.map((t) => ({ title: t.fullTitle(), file: t.file ?? "?" })), ...suite.suites.flatMap(testsOf)];
}

/** Full titles held by more than one test under `suite`, with how many and the spec files they come from. */
function repeatedTitles(suite: Suite): string[] {
  const seen = new Map<string, string[]>();
  for (const t of testsOf(suite)) seen.set(t.title, [...(seen.get(t.title) ?? []), t.file]);
  return [...seen]
    .filter(([, files]) => files.length > 1)
    .map(([title, files]) => `${files.length}x ${title} (${[...new Set(files)].join(", ")})`);
}

describe("the test suite", () => {
  it("has no two tests with the same full title", function () {
    let root = this.test!.parent!;
    while (root.parent) root = root.parent;
    assert.deepStrictEqual(repeatedTitles(root), []);
    const file = process.env[RUN_TITLES_ENV];
    if (file) fs.writeFileSync(file, JSON.stringify(testsOf(root)));
  });
});
