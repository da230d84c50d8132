// Shared code of the alb policies.

import { get, str } from "../lib/util";

export function isApplication(props: Record<string, unknown>): boolean {
  return (str(get(props, "loadBalancerType")) ?? "application") === "application";
}
