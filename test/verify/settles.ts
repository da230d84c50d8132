/**
 * Which verify check settles each unsettled behaviour row: the rows of every plan, their
 * `settledBy`, and the table docs/verify.md carries (row id, check id, what the check looks at).
 * Row ids are written stack-neutral: `hcp-<stack>-`, `<account>-<region>` for the plans' bucket suffixes.
 */
import { rowsOf, type Row } from "../aws/behaviour";
import { PLANS, planIndexOf } from "../support/plans";
import { CHECKS } from "../../tools/verify/run";

export interface UnsettledRow {
  readonly plan: string;
  readonly stack: string;
  readonly row: Row;
}

/** Every plan's unsettled rows. */
export function unsettledRows(): UnsettledRow[] {
  return PLANS.flatMap((p) =>
    rowsOf(planIndexOf(p))
      .filter((row) => !row.settled)
      .map((row) => ({ plan: p.label, stack: p.stack, row })),
  );
}

/** A row id without its stack, account and regions. */
export function neutralId(id: string, stack: string): string {
  return id
    .split(`hcp-${stack}-`)
    .join("hcp-<stack>-")
    .replace(/-\d{12}-[a-z]{2}(-[a-z]+)+-\d+\b/g, "-<account>-<region>");
}

/** The markdown table of docs/verify.md: one line per stack-neutral row id, sorted by check then id. */
export function settlesTable(rows: readonly UnsettledRow[]): string {
  const byId = new Map<string, string>();
  for (const { row, stack } of rows) byId.set(neutralId(row.id, stack), row.settledBy ?? "(none)");
  const order = CHECKS.map((c) => c.id);
  const lines = [...byId]
    .sort(([a, ca], [b, cb]) => order.indexOf(ca) - order.indexOf(cb) || a.localeCompare(b))
    .map(([id, check]) => `| \`${id}\` | \`${check}\` | ${CHECKS.find((c) => c.id === check)?.title ?? "(no such check)"} |`);
  return ["| Unsettled row | Settled by | What the check looks at |", "| --- | --- | --- |", ...lines].join("\n");
}
