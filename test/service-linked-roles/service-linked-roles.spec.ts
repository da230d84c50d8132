/**
 * The account's service-linked roles (components/service-linked-roles.ts): retained on destroy only
 * where the stack protects its data. CreateServiceLinkedRole refuses a role the account already has
 * ("has been taken in this account",
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html), so a dev
 * stack that left its role behind on `pulumi destroy` could not `pulumi up` again.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, testConfig } from "../mocks";
import { accountServiceLinkedRole, SERVICE_LINKED_ROLE_SERVICES } from "../../components/service-linked-roles";

installMocks();

/** The options Pulumi creates the role with, as a transformation of the resource sees them. */
function createdOptions(env: "dev" | "prod", service: (typeof SERVICE_LINKED_ROLE_SERVICES)[number]): pulumi.ResourceOptions[] {
  const seen: pulumi.ResourceOptions[] = [];
  const capture: pulumi.ResourceTransformation = (args) => {
    if (args.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole") seen.push(args.opts);
    return undefined;
  };
  accountServiceLinkedRole(`slr-${env}-${service}`, service, testConfig(env), { transformations: [capture] });
  return seen;
}

describe("service-linked roles: retained only where the stack protects its data", () => {
  for (const service of SERVICE_LINKED_ROLE_SERVICES) {
    it(`dev deletes the ${service} role with the stack, so destroy then up creates it again`, () => {
      assert.strictEqual(testConfig("dev").protectData, false);
      const [opts] = createdOptions("dev", service);
      assert.ok(opts, "the role is created");
      assert.deepStrictEqual([opts.retainOnDelete ?? false, opts.protect ?? false], [false, false]);
    });

    it(`prod retains and protects the ${service} role (a re-deploy after destroy lists it in existingServiceLinkedRoles)`, () => {
      assert.strictEqual(testConfig("prod").protectData, true);
      const [opts] = createdOptions("prod", service);
      assert.ok(opts, "the role is created");
      assert.deepStrictEqual([opts.retainOnDelete, opts.protect], [true, true]);
    });

    it(`creates no ${service} role where the stack lists it as existing`, () => {
      const seen: pulumi.ResourceOptions[] = [];
      const capture: pulumi.ResourceTransformation = (args) => {
        if (args.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole") seen.push(args.opts);
        return undefined;
      };
      const config = testConfig("dev", { existingServiceLinkedRoles: JSON.stringify([service]) });
      const role = accountServiceLinkedRole(`slr-existing-${service}`, service, config, { transformations: [capture] });
      assert.deepStrictEqual([seen.length, role.resource], [0, undefined]);
    });
  }
});
