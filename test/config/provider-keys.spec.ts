/**
 * The `aws:` keys config accepts are the installed AWS provider's own (components/config/aws.ts
 * derives them from `@pulumi/aws/config/vars`); the list below pins them so a provider upgrade that
 * adds or drops a key fails here and is reviewed (README, docs/deploy.md, the keys a stack sets).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { AWS_PROVIDER_KEYS, awsConfigProblems } from "../../components/config";

/** The provider's config keys as of @pulumi/aws 7.48.0 (pulumi-aws v7 renamed v6's `assumeRole` to the list `assumeRoles`). */
const PINNED = [
  "accessKey",
  "allowedAccountIds",
  "assumeRoleWithWebIdentity",
  "assumeRoles",
  "customCaBundle",
  "defaultTags",
  "ec2MetadataServiceEndpoint",
  "ec2MetadataServiceEndpointMode",
  "endpoints",
  "forbiddenAccountIds",
  "httpProxy",
  "httpsProxy",
  "ignoreTags",
  "insecure",
  "maxRetries",
  "noProxy",
  "profile",
  "region",
  "retryMode",
  "s3UsEast1RegionalEndpoint",
  "s3UsePathStyle",
  "secretKey",
  "sharedConfigFiles",
  "sharedCredentialsFiles",
  "skipCredentialsValidation",
  "skipMetadataApiCheck",
  "skipRegionValidation",
  "skipRequestingAccountId",
  "stsRegion",
  "tagPolicyCompliance",
  "token",
  "tokenBucketRateLimiterCapacity",
  "useDualstackEndpoint",
  "useFipsEndpoint",
  "userAgents",
];

describe("aws: provider keys", () => {
  it("are the installed provider's config keys, as its typings declare them", () => {
    const declared = [
      ...fs.readFileSync(require.resolve("@pulumi/aws/config/vars.d.ts"), "utf8").matchAll(/^export declare const (\w+)/gm),
    ].map((m) => m[1]);
    assert.deepStrictEqual([...AWS_PROVIDER_KEYS].sort(), declared.sort());
    const providerArgs = fs.readFileSync(require.resolve("@pulumi/aws/provider.d.ts"), "utf8");
    const args = providerArgs.slice(providerArgs.indexOf("export interface ProviderArgs"));
    for (const key of AWS_PROVIDER_KEYS) assert.match(args, new RegExp(`^\\s+${key}\\?:`, "m"), `ProviderArgs.${key}`);
  });

  it("match the pinned list: a provider upgrade that adds or drops a key fails here until reviewed", () => {
    const added = AWS_PROVIDER_KEYS.filter((k) => !PINNED.includes(k));
    const dropped = PINNED.filter((k) => !AWS_PROVIDER_KEYS.includes(k));
    assert.deepStrictEqual({ added, dropped }, { added: [], dropped: [] });
  });

  it('reports v6\'s aws:assumeRole, which the v7 provider no longer reads, pointing at "aws:assumeRoles"', () => {
    const problems = awsConfigProblems({ "aws:region": "us-east-1", "aws:assumeRole": "{}" });
    assert.deepStrictEqual(
      problems.map((p) => [p.key, p.message]),
      [["aws:assumeRole", 'unknown key of the aws namespace. Did you mean "aws:assumeRoles"? See the AWS provider\'s configuration keys']],
    );
    assert.deepStrictEqual(awsConfigProblems({ "aws:region": "us-east-1", "aws:assumeRoles": "[]", "aws:profile": "ops" }), []);
  });
});
