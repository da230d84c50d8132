// Helpers shared by the specs of several edge policies (no spec imports another spec).

import { StateResource } from "../../checker/deployment";
import { Platform } from "../platform";

export const lb = (p: Platform) => p.find("aws:lb/loadBalancer:LoadBalancer");

export const domain = (p: Platform) => p.find("aws:opensearch/domain:Domain");

/** The aws:alb aliases are judged like aws:lb. */
export const toAlbAlias = (r: StateResource, to: string) => {
  r.urn = r.urn.replace(r.type, to);
  r.type = to;
};
