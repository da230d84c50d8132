/**
 * The suite itself: every test of the run (whatever folder its spec lives in, test/ or policy-pack/)
 * has a full title no other test has, so a report names exactly one test and a repeated test
 * cannot hide among identical titles.
 */
import * as assert from "assert";
import type { Suite } from "mocha";

/** Full titles held by more than one test under `suite`, with how many and the spec files they come from. */
function repeatedTitles(suite: Suite): string[] {
  const seen = new Map<string, string[]>();
  const walk = (s: Suite) => {
    for (const t of s.tests) seen.set(t.fullTitle(), [...(seen.get(t.fullTitle()) ?? []), t.file ?? "?"]);
    s.suites.forEach(walk);
  };
  walk(suite);
  return [...seen]
    .filter(([, files]) => files.length > 1)
    .map(([title, files]) => `${files.length}x ${title} (${[...new Set(files)].join(", ")})`);
}

describe("the test suite", () => {
  it("has no two tests with the same full title", function () {
    let root = this.test!.parent!;
    while (root.parent) root = root.parent;
    assert.deepStrictEqual(repeatedTitles(root), []);
  });
});
