/** S3 on 127.0.0.1 (s3rver, an ephemeral port) over a temporary directory. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/** s3rver's built-in account. */
export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" } as const;

export interface LocalS3 {
  readonly endpoint: string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** Starts s3rver in a fresh directory under the OS temporary folder (`directoryPrefix` names it), with `buckets` created. */
export async function startS3rver(options: { directoryPrefix: string; buckets?: readonly string[] }): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), options.directoryPrefix));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    ...(options.buckets ? { configureBuckets: options.buckets.map((name) => ({ name })) } : {}),
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
