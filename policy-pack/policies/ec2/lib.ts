// Shared code of the ec2 policies.

import { T } from "../lib/types";

export const COMPUTE = [T.launchTemplate, T.instance, T.launchConfiguration];
