import { PolicyResource } from "@pulumi/policy";
import { CITES, hipaa } from "../lib/hipaa";
import { stackPolicy } from "../lib/define";
import { companionsOf, ofTypes } from "../lib/join";
import { T } from "../lib/types";
import { get, probe, str } from "../lib/util";

const isTable = ofTypes([T.dynamoTable]);

function tableName(t: PolicyResource): unknown {
  return probe(t.props, "name");
}

export const dynamodbProvisionedAutoscaling = stackPolicy({
  name: "dynamodb-provisioned-autoscaling",
  description: "Provisioned-capacity DynamoDB tables have Application Auto Scaling targets (on-demand tables pass).",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa(...CITES.availability),
  cdkNag: ["DynamoDBAutoscalingEnabled"],
  awsConfig: ["dynamodb-autoscaling-enabled"],
  resourceTypes: [T.dynamoTable],
  relatedTypes: [T.appAutoscalingTarget],
  remediationSteps:
    'Use `billingMode: "PAY_PER_REQUEST"`, or add aws.appautoscaling.Target/Policy for the table\'s ' +
    "read and write capacity (resourceId `table/<name>`).",
  examines: [
    {
      rule: "tables in provisioned capacity mode (billingMode PROVISIONED, the default)",
      where: (t) => (str(get(t.props, "billingMode")) ?? "PROVISIONED") === "PROVISIONED",
    },
  ],
  validate: (ctx, report) => {
    const targets = ctx.ofType([T.appAutoscalingTarget]);
    ctx.each(ctx.subjects(), (t) => {
      const byDep = companionsOf(t, targets, ["resourceId"], isTable);
      const name = tableName(t);
      const byName = typeof name === "string" && targets.some((x) => probe(x.props, "resourceId") === `table/${name}`);
      if (byDep.matched.length > 0 || byName) {
        return;
      }
      if (byDep.undecided) {
        ctx.undecided([t.type, t.name, "name"]);
        return;
      }
      report(t.urn, "The table uses provisioned capacity without auto scaling.");
    });
  },
});
