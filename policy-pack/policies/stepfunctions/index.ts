// Step Functions: the incident state machine; its execution history is evidence.

import { sfnLoggingAllWithExecutionData } from "./sfn-logging-all-with-execution-data";
import { sfnXrayTracing } from "./sfn-xray-tracing";
import { sfnMacieJobIdempotent } from "./sfn-macie-job-idempotent";

export { sfnLoggingAllWithExecutionData, sfnXrayTracing, sfnMacieJobIdempotent };

export const stepfunctionsPolicies = [sfnLoggingAllWithExecutionData, sfnXrayTracing, sfnMacieJobIdempotent];
