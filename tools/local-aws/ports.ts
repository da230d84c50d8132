import * as net from "net";
import type { AddressInfo } from "net";

/** A port nothing listens on (bound then released): an endpoint that refuses connections. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
