import { hipaa } from "../lib/hipaa";
import { resourcePolicy } from "../lib/define";
import { T } from "../lib/types";
import { get, list, str } from "../lib/util";

/** Processor parameter defaults (https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html). */
const PROCESSOR_DEFAULTS: Record<string, Record<string, string>> = {
  Lambda: { NumberOfRetries: "3", BufferSizeInMBs: "1", BufferIntervalInSeconds: "60" },
};

const DESTINATIONS = [
  "extendedS3Configuration",
  "opensearchConfiguration",
  "elasticsearchConfiguration",
  "httpEndpointConfiguration",
  "splunkConfiguration",
  "redshiftConfiguration",
  "opensearchserverlessConfiguration",
  "snowflakeConfiguration",
  "icebergConfiguration",
];

/** Whether a destination of the stream configures processors (what the policy judges). */
function hasProcessors(props: unknown): boolean {
  return DESTINATIONS.some((key) => list(get(props, key, "processingConfiguration", "processors")).length > 0);
}

export const firehoseProcessorParametersNotDefault = resourcePolicy({
  name: "firehose-processor-parameters-not-default",
  description:
    "Firehose processors do not set a parameter to its AWS default value: the API omits defaults when it returns the " +
    "configuration, so every refresh shows a diff and every update rewrites the stream " +
    "(https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html).",
  severity: "low",
  enforcementLevel: "advisory",
  category: "hygiene",
  framework: hipaa("164.312(b)"),
  resourceTypes: [T.firehose],
  tags: ["deploy-trap"],
  remediationSteps:
    "Remove the parameter (AWS applies the default): Lambda NumberOfRetries 3, BufferSizeInMBs 1, BufferIntervalInSeconds 60 " +
    "(https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html).",
  examines: [{ rule: "streams with record processors on a destination", where: (ctx) => hasProcessors(ctx.props) }],
  validate: (ctx, report) => {
    for (const key of DESTINATIONS) {
      const processors = list(get(ctx.props, key, "processingConfiguration", "processors"));
      for (const p of processors) {
        const defaults = PROCESSOR_DEFAULTS[str(get(p, "type")) ?? ""] ?? {};
        for (const param of list(get(p, "parameters"))) {
          const name = str(get(param, "parameterName")) ?? "";
          const value = get(param, "parameterValue");
          if (defaults[name] !== undefined && String(value) === defaults[name]) {
            report(
              `${key}: the ${str(get(p, "type"))} processor sets ${name} to its default ${defaults[name]}, which AWS does ` +
                "not return: a perpetual diff. Remove the parameter.",
            );
          }
        }
      }
    }
  },
});
