// Helpers shared by the specs of several pipeline policies (no spec imports another spec).

import { Platform } from "../platform";

export const sfn = (p: Platform) => p.find("aws:sfn/stateMachine:StateMachine");

export const wg = (p: Platform) => p.find("aws:athena/workgroup:Workgroup");

export const catalogEnc = (p: Platform) => p.find("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings");
