// Where a Lambda function's logs go and what happens to its failed asynchronous invocations:
// joins shared by the lambda policies (lambda.ts) and the PHI-path policies (phi-path/).

import { PolicyResource } from "@pulumi/policy";
import { StackCtx } from "./define";
import { companionsOf, identifiers, ofTypes } from "./join";
import { T } from "./types";
import { get, present, probe, str, UNKNOWN } from "./util";

const isFunction = ofTypes([T.lambdaFunction]);

export interface LogGroupJoin {
  /** The stack's log group that receives the function's logs, when one does. */
  group: PolicyResource | undefined;
  /** A preview-unknown value hides whether one does. */
  undecided: boolean;
}

/** The log group of the stack that receives the function's logs. */
export function logGroupOf(fn: PolicyResource, groups: PolicyResource[]): LogGroupJoin {
  const viaPd = () => ((fn.propertyDependencies ?? {}).loggingConfig ?? []).find((d) => d.type === T.logGroup);
  // 1. loggingConfig.logGroup names a log group of the stack
  const configured = probe(fn.props, "loggingConfig", "logGroup");
  if (configured === UNKNOWN) {
    const pd = viaPd();
    return pd ? { group: pd, undecided: false } : { group: undefined, undecided: true };
  }
  if (typeof configured === "string" && configured !== "") {
    const named = groups.find((g) => identifiers(g).known.has(configured));
    if (named) {
      return { group: named, undecided: false };
    }
    const pd = viaPd();
    if (pd) {
      return { group: pd, undecided: false };
    }
    return { group: undefined, undecided: groups.some((g) => identifiers(g).unknown) };
  }
  // 2. the default group /aws/lambda/<function name>, declared in the stack: its name is built
  //    from the function's name output (a property dependency) or is the same literal.
  const built = groups.find((g) => ((g.propertyDependencies ?? {}).name ?? []).some((d) => d.urn === fn.urn));
  if (built) {
    return { group: built, undecided: false };
  }
  const fnName = probe(fn.props, "name");
  if (fnName === UNKNOWN) {
    return { group: undefined, undecided: true };
  }
  if (typeof fnName !== "string" || fnName === "") {
    return { group: undefined, undecided: false };
  }
  const expected = `/aws/lambda/${fnName}`;
  let undecided = false;
  for (const g of groups) {
    const name = probe(g.props, "name");
    if (name === UNKNOWN) {
      undecided = true;
    } else if (name === expected) {
      return { group: g, undecided: false };
    }
  }
  return { group: undefined, undecided };
}

/**
 * Whether the function's failed asynchronous invocations are kept: "yes" with a dead-letter queue,
 * an on-failure destination, or when the stack shows it invoked only synchronously (a Firehose
 * stream's transform, an aws.lambda.Invocation) and it grants no service an invoke permission;
 * "maybe" when a preview-unknown value hides an event invoke config. Lambda retries an
 * asynchronous event twice and then discards it unless a DLQ or destination is set
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 */
export function asyncFailuresKept<C>(ctx: StackCtx<C>, fn: PolicyResource): "yes" | "no" | "maybe" {
  if (present(fn.props, "deadLetterConfig", "targetArn")) {
    return "yes";
  }
  // Firehose invokes its transform synchronously; an Invocation resource calls RequestResponse.
  const arn = str(get(fn.props, "arn"));
  const name = str(get(fn.props, "name"));
  const calledSynchronously = ctx.ofType([T.firehose, T.lambdaInvocation]).some((c) => {
    const text = JSON.stringify(c.props ?? {});
    return (
      (arn !== undefined && text.includes(arn)) ||
      (c.type === T.lambdaInvocation && name !== undefined && str(get(c.props, "functionName")) === name)
    );
  });
  if (calledSynchronously && companionsOf(fn, ctx.ofType([T.lambdaPermission]), ["function"], isFunction).matched.length === 0) {
    return "yes";
  }
  const joined = companionsOf(fn, ctx.ofType([T.lambdaEventInvokeConfig]), ["functionName"], isFunction);
  if (joined.matched.some((c) => present(c.props, "destinationConfig", "onFailure", "destination"))) {
    return "yes";
  }
  return joined.undecided ? "maybe" : "no";
}
