// Specs of the s3-bucket-no-public-acl policy (./s3-bucket-no-public-acl.ts).

import { UNKNOWN_STRING } from "../lib/unknown";
import { s3BucketNoPublicAcl } from "./s3-bucket-no-public-acl";
import { set } from "../../test-support/builder";
import { policySuite } from "../../test-support/suite";
import { phi } from "../../test-support/specs/s3";

describe("s3", () => {
  policySuite(s3BucketNoPublicAcl, {
    otherType: (b) => b.add("aws:s3/bucketObject:BucketObject", "obj", { bucket: "b", key: "k", acl: "public-read" }),
    cases: [
      {
        name: "BucketAcl public-read",
        mutate: (p) => p.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "public-read" }),
        expect: { violation: "acl" },
      },
      {
        name: "BucketAclV2 alias public-read-write",
        mutate: (p) => p.add("aws:s3/bucketAclV2:BucketAclV2", "acl2", { bucket: "b", acl: "public-read-write" }),
        expect: { violation: "acl2" },
      },
      {
        name: "grant to AllUsers",
        mutate: (p) =>
          p.add("aws:s3/bucketAcl:BucketAcl", "grant", {
            bucket: "b",
            accessControlPolicy: {
              owner: { id: "o" },
              grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } }],
            },
          }),
        expect: { violation: "grant", message: /AllUsers/ },
      },
      {
        name: "inline acl on the bucket",
        mutate: (p) => set(phi(p).bucket, "acl", "authenticated-read"),
        expect: { violation: "phi-data-bucket" },
      },
      {
        name: "private ACL passes",
        mutate: (p) => p.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "private" }),
        expect: "clean",
      },
      {
        name: "preview: acl unknown -> can't run",
        mutate: (p) => p.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: UNKNOWN_STRING }),
        expect: "unknown",
      },
    ],
  });
});
