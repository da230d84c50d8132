/** The deployment contract: environment validation, grant declarations and items, processor settings. */
import { strict as assert } from "assert";
import {
  AUTHORIZER_ACTIONS,
  AUTHORIZER_ENV,
  AuthorizerEnvironmentError,
  firehoseProcessors,
  GrantDeclarationError,
  groupGrants,
  parseGrants,
  readAuthorizerEnvironment,
  renderGrantItem,
} from "../../lambda/authorizer/contract";
import { ENVIRONMENT } from "../../tools/local-aws/authorizer";

describe("authorizer contract", () => {
  it("reads a complete environment with defaults for the optional variables", () => {
    assert.deepEqual(readAuthorizerEnvironment(ENVIRONMENT), {
      grantsTableName: ENVIRONMENT[AUTHORIZER_ENV.grantsTableName],
      throttleTableName: ENVIRONMENT[AUTHORIZER_ENV.throttleTableName],
      incidentStateMachineArn: ENVIRONMENT[AUTHORIZER_ENV.incidentStateMachineArn],
      incidentDlqUrl: ENVIRONMENT[AUTHORIZER_ENV.incidentDlqUrl],
      grantCacheTtlSeconds: 60,
      incidentThrottleSeconds: 900,
    });
  });

  it("lists every bad variable in one error", () => {
    let error: AuthorizerEnvironmentError | undefined;
    try {
      readAuthorizerEnvironment({
        [AUTHORIZER_ENV.throttleTableName]: "x",
        [AUTHORIZER_ENV.incidentStateMachineArn]: "arn:aws:sns:us-east-1:123456789012:topic",
        [AUTHORIZER_ENV.incidentDlqUrl]: "http://localhost/queue",
        [AUTHORIZER_ENV.grantCacheTtlSeconds]: "1000",
        [AUTHORIZER_ENV.incidentThrottleSeconds]: "ten",
        [AUTHORIZER_ENV.canaryPrincipalArn]: "arn:aws:sts::123456789012:assumed-role/probe/session",
        [AUTHORIZER_ENV.canaryBucketName]: "Bad_Bucket",
        [AUTHORIZER_ENV.canaryKeyPrefix]: "canary/*",
      });
    } catch (e) {
      error = e as AuthorizerEnvironmentError;
    }
    assert.ok(error instanceof AuthorizerEnvironmentError);
    assert.equal(error.problems.length, 9);
    for (const name of Object.values(AUTHORIZER_ENV)) assert.ok(error.message.includes(name), `names ${name}`);
  });

  it("groups grant declarations into one item per (principal, bucket) and renders DynamoDB JSON the handler parses back", () => {
    const items = groupGrants(
      [
        { principal: "arn:aws:iam::111122223333:role/reader", bucket: "phi-data", prefix: "patients/", access: "read" },
        { principal: "arn:aws:iam::111122223333:role/reader", bucket: "phi-data", prefix: "patients/", access: "read" },
        {
          principal: "arn:aws:iam::111122223333:role/reader",
          bucket: "phi-data",
          prefix: "",
          access: "write",
          expiresAt: "2026-12-31T23:59:59Z",
        },
        { principal: "s3.amazonaws.com", bucket: "phi-data", prefix: "", access: "write" },
      ],
      ["phi-data"],
    );
    assert.equal(items.length, 2);
    assert.deepEqual(items[0].grants, [
      { prefix: "", access: "write", expiresAt: "2026-12-31T23:59:59Z" },
      { prefix: "patients/", access: "read" },
    ]);
    const item = JSON.parse(renderGrantItem(items[0]));
    assert.deepEqual(item.principal, { S: "arn:aws:iam::111122223333:role/reader" });
    assert.deepEqual(item.bucket, { S: "phi-data" });
    const unmarshalled = item.grants.L.map((g: { M: Record<string, { S: string }> }) =>
      Object.fromEntries(Object.entries(g.M).map(([k, v]) => [k, v.S])),
    );
    assert.deepEqual(parseGrants(unmarshalled), { grants: items[0].grants, malformed: 0 });
    assert.deepEqual(
      parseGrants([{ prefix: "a/", access: "admin" }, { prefix: 1 }]),
      { grants: [], malformed: 2 },
      "malformed grants grant nothing",
    );
  });

  it("rejects wildcard or session principals, unknown buckets, wildcard prefixes, bad access and bad expiry, all at once", () => {
    assert.throws(
      () =>
        groupGrants(
          [
            { principal: "*", bucket: "phi-data", prefix: "", access: "read" },
            { principal: "arn:aws:sts::111122223333:assumed-role/r/s", bucket: "phi-data", prefix: "", access: "read" },
            { principal: "arn:aws:iam::111122223333:role/r", bucket: "other", prefix: "a*", access: "read" },
            {
              principal: "arn:aws:iam::111122223333:role/r",
              bucket: "phi-data",
              prefix: "",
              access: "admin" as "read",
              expiresAt: "tomorrow",
            },
          ],
          ["phi-data"],
        ),
      (e: unknown) => e instanceof GrantDeclarationError && e.problems.length === 6,
    );
  });

  it("processors: the Lambda alone (it decodes the subscription's gzip itself), 0.2 MB buffer, without AWS-default parameters", () => {
    // Firehose does not document Decompression / CloudWatchLogProcessing on an OpenSearch destination
    // (https://docs.aws.amazon.com/firehose/latest/dev/writing-with-cloudwatch-logs.html): the design must not need them.
    const processors = firehoseProcessors("arn:aws:lambda:us-east-1:111122223333:function:authorizer");
    assert.deepEqual(
      processors.map((p) => p.type),
      ["Lambda"],
    );
    assert.deepEqual(
      processors[0].parameters.map((p) => [p.parameterName, p.parameterValue]),
      [
        ["LambdaArn", "arn:aws:lambda:us-east-1:111122223333:function:authorizer"],
        ["BufferSizeInMBs", "0.2"],
        ["BufferIntervalInSeconds", "5"],
      ],
    );
    assert.deepEqual(AUTHORIZER_ACTIONS.grantsTable, ["dynamodb:BatchGetItem"]);
    assert.deepEqual(AUTHORIZER_ACTIONS.throttleTable, ["dynamodb:PutItem"]);
  });
});
