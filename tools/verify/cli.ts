/** Entry of `npm run verify` (tools/verify/run.ts): prints the report and exits with its code, never a stack trace. */
import { verify } from "./run";

verify(process.argv.slice(2)).then(
  (r) => {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.code;
  },
  (e: unknown) => {
    process.stderr.write(`verify: internal error ${(e as Error | undefined)?.name ?? "unknown"} (report it)\n`);
    process.exitCode = 1;
  },
);
