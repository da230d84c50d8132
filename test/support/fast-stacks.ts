/**
 * Pulumi's SDK records a stack trace for every promise it creates (runtime/debuggable.js, for its
 * leak report at exit), reading `new Error().stack` at once; under ts-node each such read maps every
 * frame through source-map-support, which made that the largest cost of the mock-cloud specs and the
 * plans (about half of their CPU time). Those traces, and only those, are rendered unmapped here; every
 * other stack (a failing test's, an error's) is still mapped to the TypeScript sources.
 */
import * as path from "path";

const PULUMI_DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");
const mapped = Error.prepareStackTrace?.bind(Error);

if (mapped) {
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown =>
    frames[0]?.getFileName()?.endsWith(PULUMI_DEBUGGABLE)
      ? `${String(error)}\n    at ${frames.map((f) => `${f.getFunctionName() ?? "<anonymous>"} (${f.getFileName() ?? "?"}:${f.getLineNumber()}:${f.getColumnNumber()})`).join("\n    at ")}`
      : mapped(error, frames);
}
