/** Runs `fn` with stdout and stderr captured (not shown); returns its result or what it threw, and the lines written. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: string[] }> {
  const chunks: string[] = [];
  // Saved to be put back on the same streams, never called detached.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const out = process.stdout.write;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const err = process.stderr.write;
  const capture = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  };
  const lines = () =>
    chunks
      .join("")
      .split("\n")
      .filter((l) => l !== "");
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const result = await fn();
    return { result, lines: lines() };
  } catch (error) {
    return { error, lines: lines() };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
