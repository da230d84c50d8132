import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_INTERFACE_ENDPOINT_SERVICES } from "../../components/network/plan";

describe("NetworkArgs documentation", () => {
  it("lists in its interfaceEndpointServices @default exactly the endpoints the network builds by default", () => {
    const source = fs.readFileSync(path.join(__dirname, "..", "..", "components", "network", "index.ts"), "utf8");
    const line = /@default DEFAULT_INTERFACE_ENDPOINT_SERVICES: ([^\n]*)/.exec(source);
    assert.ok(line, "NetworkArgs.interfaceEndpointServices documents its default");
    const documented = line[1].split(",").map((s) => s.trim());
    assert.deepEqual([...documented].sort(), [...DEFAULT_INTERFACE_ENDPOINT_SERVICES].sort());
  });
});
