import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../mocks";
import { statefulOptions } from "../../components/lib/stateful";

installMocks();

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:stateful:Holder", name);
  }
}

describe("statefulOptions: the one way to protect and retain stateful resources", () => {
  const holder = new Holder("holder");

  it("protects and retains on delete when the stack protects its data (prod)", () => {
    assert.deepStrictEqual(statefulOptions(holder, true), { parent: holder, protect: true, retainOnDelete: true });
  });

  it("leaves the resource to follow the stack when it does not (dev)", () => {
    assert.deepStrictEqual(statefulOptions(holder, false), { parent: holder, protect: false, retainOnDelete: false });
  });

  it("keeps other options, and they cannot loosen protection", () => {
    const other = new Holder("other");
    const opts = statefulOptions(holder, true, { dependsOn: [other], protect: false, retainOnDelete: false } as never);
    assert.deepStrictEqual([opts.protect, opts.retainOnDelete, opts.parent], [true, true, holder]);
    assert.deepStrictEqual(opts.dependsOn, [other]);
  });
});
