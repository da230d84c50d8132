/**
 * Constraints AWS documents but its API model does not carry as a pattern: EC2 writes the
 * security-group character set into the member's documentation only. Each is written here as a
 * Java-style pattern with the page that states it; `mapping.ts` names them as `doc:<Name>`.
 */
import type { Shape } from "./model";

export interface DocumentedShape extends Shape {
  /** Where AWS states the constraint. */
  readonly source: string;
}

/** a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$* */
const SG_CHARACTERS = "a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*";

export const DOCUMENTED: Readonly<Record<string, DocumentedShape>> = {
  // "Constraints: Up to 255 characters in length. Valid characters: a-z, A-Z, 0-9, spaces, and
  // ._-:/()#,@[]+=&;{}!$*" (also the text of CreateSecurityGroupRequest.Description in the EC2 model).
  SecurityGroupDescription: {
    type: "string",
    min: 0,
    max: 255,
    pattern: `^[${SG_CHARACTERS}]*$`,
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  },
  // "Constraints: Up to 255 characters in length. Can't start with sg-. Valid characters: a-z, A-Z,
  // 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"
  SecurityGroupName: {
    type: "string",
    min: 1,
    max: 255,
    pattern: `^(?!sg-)[${SG_CHARACTERS}]*$`,
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  },
  // Rule descriptions: "Constraints: Up to 255 characters in length. Allowed characters are a-z, A-Z,
  // 0-9, spaces, and ._-:/()#,@[]+=;{}!$*" (UserIdGroupPair and PrefixListId; IpRange also admits &).
  // The stricter set, so one shape serves rules that reference a group, a prefix list or a CIDR.
  SecurityGroupRuleDescription: {
    type: "string",
    min: 0,
    max: 255,
    pattern: `^[${SG_CHARACTERS.replace("&", "")}]*$`,
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html",
  },
  // "Must be in the format hh24:mi-hh24:mi. Must be in Universal Coordinated Time (UTC). [...] Must be
  // at least 30 minutes." (CreateDBInstance PreferredBackupWindow; the model's shape is a bare String.)
  RdsBackupWindow: {
    type: "string",
    min: 11,
    max: 11,
    pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$",
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
  },
  // "Must be in the format ddd:hh24:mi-ddd:hh24:mi. The day values must be mon | tue | wed | thu | fri
  // | sat | sun. Must be in Universal Coordinated Time (UTC)." (CreateDBInstance PreferredMaintenanceWindow)
  RdsMaintenanceWindow: {
    type: "string",
    min: 19,
    max: 19,
    pattern: "^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$",
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
  },
};
