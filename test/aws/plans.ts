/** The plans now live in test/support/plans.ts; this re-export keeps the imports of other folders working until they move. */
export * from "../support/plans";
