// Lambda: the data processor, the Firehose authorizer and the report writer handle PHI.

import { runtimeProblem, lambdaSupportedRuntime } from "./lambda-supported-runtime";
import { lambdaInsideVpc } from "./lambda-inside-vpc";
import { lambdaNoPublicAccess } from "./lambda-no-public-access";
import { lambdaLogGroupManaged } from "./lambda-log-group-managed";
import { lambdaConcurrencyLimit } from "./lambda-concurrency-limit";
import { lambdaReservedConcurrencyNotZero } from "./lambda-reserved-concurrency-not-zero";
import { lambdaDeadLetter } from "./lambda-dead-letter";

export {
  runtimeProblem,
  lambdaSupportedRuntime,
  lambdaInsideVpc,
  lambdaNoPublicAccess,
  lambdaLogGroupManaged,
  lambdaConcurrencyLimit,
  lambdaReservedConcurrencyNotZero,
  lambdaDeadLetter,
};

export const lambdaPolicies = [
  lambdaSupportedRuntime,
  lambdaInsideVpc,
  lambdaNoPublicAccess,
  lambdaLogGroupManaged,
  lambdaConcurrencyLimit,
  lambdaDeadLetter,
  lambdaReservedConcurrencyNotZero,
];
