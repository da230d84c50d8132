// Shared code of the vpc policies.

import { ofTypes } from "../lib/join";
import { T } from "../lib/types";

export const isVpc = ofTypes([T.vpc]);
