"use strict";
/**
 * Pulumi's SDK records a stack trace for every promise it creates (runtime/debuggable.js, for its
 * leak report at exit), reading `new Error().stack` at once; under ts-node each such read maps every
 * frame through source-map-support, which made that the largest cost of the mock-cloud specs and the
 * plans (about half of their CPU time). Those traces, and only those, are rendered unmapped here; every
 * other stack (a failing test's, an error's) is still mapped to the TypeScript sources.
 *
 * Plain JavaScript, so that it loads before ts-node: test/support/setup.ts requires it in the mocha
 * process and puts it in NODE_OPTIONS for the node processes the specs start (the plans, the CLIs).
 * Whatever `Error.prepareStackTrace` is set to later (ts-node's source-map-support) is kept and used.
 */
const path = require("path");

const PULUMI_DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");
const INSTALLED = Symbol.for("hcp.fastStacks");

if (!Error[INSTALLED]) {
  const frame = (f) => `${f.getFunctionName() || "<anonymous>"} (${f.getFileName() || "?"}:${f.getLineNumber()}:${f.getColumnNumber()})`;
  // One wrapper per function set, so that code saving and restoring Error.prepareStackTrace around a call
  // (depd, callsites) gets back exactly what it saved.
  const wrapped = new WeakMap();
  const wrapperOf = new WeakMap();
  const wrap = (mapped) => {
    if (!wrapped.has(mapped)) {
      const prepare = (error, frames) =>
        frames.length > 0 && String(frames[0].getFileName()).endsWith(PULUMI_DEBUGGABLE)
          ? `${String(error)}\n    at ${frames.map(frame).join("\n    at ")}`
          : mapped(error, frames);
      wrapped.set(mapped, prepare);
      wrapperOf.set(prepare, mapped);
    }
    return wrapped.get(mapped);
  };
  let current = Error.prepareStackTrace;
  Object.defineProperty(Error, "prepareStackTrace", {
    configurable: true,
    enumerable: false,
    get: () => (typeof current === "function" ? wrap(current) : current),
    set: (value) => {
      current = typeof value === "function" && wrapperOf.has(value) ? wrapperOf.get(value) : value;
    },
  });
  Error[INSTALLED] = true;
}
