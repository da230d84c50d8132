/**
 * Every unsettled behaviour row (test/aws, every plan) names the verify check that settles it in the
 * account (`settledBy`); that check exists in verify's registry and its `rows` name the row; and
 * docs/verify.md lists each row with its check (the table the closing note carries).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { rowMatches } from "../../tools/verify/check";
import { CHECKS } from "../../tools/verify/run";
import { settlesTable, unsettledRows, type UnsettledRow } from "./settles";

const DOC = path.resolve(__dirname, "../../docs/verify.md");
const BEGIN = "<!-- settles:begin (test/verify/settles.spec.ts) -->";
const END = "<!-- settles:end -->";

describe("verify settles every unsettled behaviour row", function () {
  this.timeout(600_000);
  let rows: UnsettledRow[];
  before(() => {
    rows = unsettledRows();
  });

  it("every plan has unsettled rows to settle (the table is not empty)", () => {
    assert.ok(rows.length > 30, `${rows.length} unsettled rows`);
  });

  it("each unsettled row names, in settledBy, a check verify has", () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    const wrong = rows.filter(({ row }) => row.settledBy === undefined || !ids.has(row.settledBy));
    assert.deepStrictEqual(
      wrong.map(({ plan, row }) => `${plan}: ${row.id} -> ${row.settledBy ?? "(no settledBy)"}`),
      [],
    );
  });

  it("the named check's rows name the row (its detail says which rows a pass settles)", () => {
    const unnamed = rows.filter(({ row, stack }) => {
      const check = CHECKS.find((c) => c.id === row.settledBy);
      return check !== undefined && !check.rows.some((pattern) => rowMatches(pattern, row.id, stack));
    });
    assert.deepStrictEqual(
      unnamed.map(({ plan, row }) => `${plan}: ${row.id} is not in the rows of ${row.settledBy}`),
      [],
    );
  });

  it("docs/verify.md lists every unsettled row with its check", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    const begin = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    assert.ok(begin >= 0 && end > begin, `docs/verify.md has the markers ${BEGIN} and ${END}`);
    const expected = settlesTable(rows);
    assert.strictEqual(doc.slice(begin + BEGIN.length, end).trim(), expected, `paste this table between the markers:\n${expected}`);
  });

  it("rowMatches reads <stack> as the stack's name and * as any text, nothing else", () => {
    assert.ok(rowMatches("backup hcp-<stack>-audit:kms:*", "backup hcp-prod-audit:kms:Decrypt table key via DynamoDB", "prod"));
    assert.ok(!rowMatches("backup hcp-<stack>-audit:kms:*", "backup hcp-dev-audit:kms:Decrypt", "prod"));
    assert.ok(!rowMatches("pipeline authorizer:assume-role", "pipeline authorizer:assume-role for another account", "prod"));
    assert.ok(!rowMatches("a.b", "axb", "prod"));
  });
});
