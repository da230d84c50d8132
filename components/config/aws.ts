/** The `aws:` namespace: the region and the AWS provider's own keys. */
import * as aws from "@pulumi/aws";
import * as awsConfigVars from "@pulumi/aws/config/vars";
import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem, PlatformConfigError } from "./errors";
import { closest } from "./suggest";

/** AWS region codes: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, ... */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/**
 * The stack's `aws:region`, validated. The program passes it to its explicit provider (an
 * explicit provider does not read `aws:region` by itself).
 */
export function readAwsRegion(all: Readonly<Record<string, string>> = pulumi.runtime.allConfig()): string {
  const problems = awsConfigProblems(all);
  if (problems.length > 0) throw new PlatformConfigError(problems, "");
  return all["aws:region"];
}

/** Every region code AWS has (the provider's own list), so a misspelt region fails here, not at `pulumi up`. */
export const AWS_REGIONS: readonly string[] = Object.freeze(Object.values(aws.Region) as string[]);

/**
 * The `aws:` keys the AWS provider reads: the provider package's own config module
 * (`@pulumi/aws/config/vars`, generated from the provider's schema, one property per key), so the
 * list follows the installed provider; test/config/provider-keys.spec.ts pins it, so an upgrade that
 * adds or drops a key is noticed. The platform's explicit provider takes only `aws:region`; the others
 * configure credentials of the default provider and the CLI.
 */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.freeze(Object.keys(awsConfigVars));

/** Problems of the `aws:` namespace, keys qualified (`aws:region`): a known region, no misspelt key. */
export function awsConfigProblems(all: Readonly<Record<string, string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(all).filter((k) => k.startsWith("aws:"))) {
    const bare = key.slice("aws:".length);
    if (!AWS_PROVIDER_KEYS.includes(bare)) {
      const best = closest(bare, AWS_PROVIDER_KEYS);
      problems.push({
        key,
        message: `unknown key of the aws namespace.${best ? ` Did you mean "aws:${best}"?` : ""} See the AWS provider's configuration keys`,
      });
    }
  }
  const region = all["aws:region"];
  if (region === undefined) {
    problems.push({ key: "aws:region", message: "is required: set it with `pulumi config set aws:region us-east-1`" });
  } else if (!REGION.test(region) || !AWS_REGIONS.includes(region)) {
    const best = closest(region, AWS_REGIONS);
    problems.push({
      key: "aws:region",
      value: region,
      message: `must be an AWS region code such as us-east-1.${best ? ` Did you mean "${best}"?` : ""}`,
    });
  }
  return problems;
}
