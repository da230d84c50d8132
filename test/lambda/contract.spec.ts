/** The deployment contract: environment, configuration document, audit table key schema. */
import { strict as assert } from "assert";
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_KEY_SCHEMA,
  DATA_PROCESSOR_ENV,
  DEFAULT_MAX_OBJECT_BYTES,
  DEFAULT_PROCESSOR_CONFIG,
  MAX_OBJECT_BYTES_LIMIT,
  parseProcessorConfig,
  ProcessorConfigError,
  readDataProcessorEnvironment,
  renderProcessorConfig,
  SUPPORTED_RESOURCE_TYPES,
  validateProcessorConfig,
} from "../../lambda/data-processor/contract";
import { CONFIG_SCHEMA } from "../../components/config";

const GOOD_ENV = {
  AUDIT_TABLE_NAME: "hcp-prod-data-processor-audit",
  ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:hcp-prod-alerts",
  CONFIG_PARAMETER_NAME: "/hcp/prod/data-processor/config:7",
};

describe("data-processor contract", () => {
  describe("readDataProcessorEnvironment", () => {
    it("reads a complete environment; path style defaults to off", () => {
      assert.deepEqual(readDataProcessorEnvironment(GOOD_ENV), {
        auditTableName: GOOD_ENV.AUDIT_TABLE_NAME,
        alertTopicArn: GOOD_ENV.ALERT_TOPIC_ARN,
        configParameterName: GOOD_ENV.CONFIG_PARAMETER_NAME,
        s3ForcePathStyle: false,
      });
      assert.equal(readDataProcessorEnvironment({ ...GOOD_ENV, S3_FORCE_PATH_STYLE: "true" }).s3ForcePathStyle, true);
      assert.equal(readDataProcessorEnvironment({ ...GOOD_ENV, S3_FORCE_PATH_STYLE: "false" }).s3ForcePathStyle, false);
    });

    const cases: [string, Record<string, string | undefined>, RegExp[]][] = [
      ["nothing set", {}, [/AUDIT_TABLE_NAME is required/, /ALERT_TOPIC_ARN is required/, /CONFIG_PARAMETER_NAME is required/]],
      ["an empty table name", { ...GOOD_ENV, AUDIT_TABLE_NAME: "" }, [/AUDIT_TABLE_NAME is required/]],
      [
        "a table name with a space",
        { ...GOOD_ENV, AUDIT_TABLE_NAME: "audit table" },
        [/AUDIT_TABLE_NAME must be a DynamoDB table name .* got "audit table"/],
      ],
      [
        "a FIFO topic",
        { ...GOOD_ENV, ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts.fifo" },
        [/ALERT_TOPIC_ARN must be the ARN of a standard \(not FIFO\) SNS topic/],
      ],
      [
        "a queue ARN for the topic",
        { ...GOOD_ENV, ALERT_TOPIC_ARN: "arn:aws:sqs:eu-west-1:123456789012:q" },
        [/ALERT_TOPIC_ARN must be the ARN of a standard/],
      ],
      [
        "a parameter name with a space",
        { ...GOOD_ENV, CONFIG_PARAMETER_NAME: "/a b" },
        [/CONFIG_PARAMETER_NAME must be an SSM parameter name/],
      ],
      ["path style 'yes'", { ...GOOD_ENV, S3_FORCE_PATH_STYLE: "yes" }, [/S3_FORCE_PATH_STYLE must be "true" or "false" .* got "yes"/]],
    ];
    for (const [name, env, expected] of cases) {
      it(`refuses ${name}, naming the variable`, () => {
        assert.throws(
          () => readDataProcessorEnvironment(env),
          (e: Error) => e.name === "DataProcessorEnvironmentError" && expected.every((re) => re.test(e.message)),
        );
      });
    }

    it("accepts a parameter ARN and a name without a version", () => {
      for (const name of ["arn:aws:ssm:eu-west-1:123456789012:parameter/hcp/prod/config", "hcp-config", "/hcp/prod/config:live"]) {
        assert.equal(readDataProcessorEnvironment({ ...GOOD_ENV, CONFIG_PARAMETER_NAME: name }).configParameterName, name);
      }
    });

    it("names every variable of DATA_PROCESSOR_ENV", () => {
      assert.deepEqual(Object.values(DATA_PROCESSOR_ENV).sort(), [
        "ALERT_TOPIC_ARN",
        "AUDIT_TABLE_NAME",
        "CONFIG_PARAMETER_NAME",
        "S3_FORCE_PATH_STYLE",
      ]);
    });
  });

  describe("processor configuration", () => {
    it("applies the defaults to an empty document", () => {
      assert.deepEqual(validateProcessorConfig({}), {
        intakePrefix: "intake/",
        processedPrefix: "processed/",
        quarantinePrefix: "quarantine/",
        maxObjectBytes: 5 * 1024 * 1024,
        acceptedResourceTypes: ["Patient", "Observation", "Bundle"],
      });
    });

    it("keeps given values and returns a frozen object", () => {
      const config = validateProcessorConfig({ processedPrefix: "clean/v1/", maxObjectBytes: 1, acceptedResourceTypes: ["Observation"] });
      assert.equal(config.processedPrefix, "clean/v1/");
      assert.equal(config.maxObjectBytes, 1);
      assert.deepEqual(config.acceptedResourceTypes, ["Observation"]);
      assert.ok(Object.isFrozen(config) && Object.isFrozen(config.acceptedResourceTypes));
    });

    const bad: [string, unknown, RegExp][] = [
      ["not an object", ["intake/"], /configuration must be a JSON object/],
      ["null", null, /configuration must be a JSON object/],
      [
        "an unknown key",
        { maxObjectSize: 10 },
        /maxObjectSize: unknown key; known keys are intakePrefix, processedPrefix, quarantinePrefix, maxObjectBytes, acceptedResourceTypes/,
      ],
      [
        "a prefix without a trailing slash",
        { processedPrefix: "processed" },
        /processedPrefix must be an S3 key prefix .* ending with "\/".* got "processed"/,
      ],
      ["a prefix with a leading slash", { quarantinePrefix: "/quarantine/" }, /quarantinePrefix must be an S3 key prefix/],
      ["an empty prefix", { intakePrefix: "" }, /intakePrefix must be an S3 key prefix/],
      ["a number as prefix", { intakePrefix: 3 }, /intakePrefix must be an S3 key prefix/],
      [
        "processed under intake",
        { processedPrefix: "intake/done/" },
        /intakePrefix \("intake\/"\) and processedPrefix \("intake\/done\/"\) must not overlap/,
      ],
      [
        "the same prefix twice",
        { quarantinePrefix: "processed/" },
        /processedPrefix \("processed\/"\) and quarantinePrefix \("processed\/"\) must not overlap/,
      ],
      ["a zero size", { maxObjectBytes: 0 }, /maxObjectBytes must be a whole number of bytes from 1 to 104857600 \(100 MiB\), got 0/],
      ["a fractional size", { maxObjectBytes: 1.5 }, /maxObjectBytes .* got 1.5/],
      ["a size as a string", { maxObjectBytes: "5242880" }, /maxObjectBytes .* got "5242880"/],
      ["a size over 100 MiB", { maxObjectBytes: MAX_OBJECT_BYTES_LIMIT + 1 }, /maxObjectBytes .* got 104857601/],
      [
        "no accepted types",
        { acceptedResourceTypes: [] },
        /acceptedResourceTypes must be a non-empty list drawn from Patient, Observation, Bundle/,
      ],
      ["a type string instead of a list", { acceptedResourceTypes: "Patient" }, /acceptedResourceTypes must be a non-empty list/],
      [
        "an unsupported type",
        { acceptedResourceTypes: ["Patient", "Encounter"] },
        /acceptedResourceTypes\[1\] must be one of Patient, Observation, Bundle \(the types this build validates\), got "Encounter"/,
      ],
      ["a repeated type", { acceptedResourceTypes: ["Patient", "Patient"] }, /acceptedResourceTypes\[1\] repeats "Patient"/],
    ];
    for (const [name, value, expected] of bad) {
      it(`refuses ${name}`, () => {
        assert.throws(
          () => validateProcessorConfig(value),
          (e: Error) => e instanceof ProcessorConfigError && expected.test(e.message),
        );
      });
    }

    it("lists every problem at once, prefixed with the source", () => {
      assert.throws(
        () => validateProcessorConfig({ colour: 1, maxObjectBytes: -1, acceptedResourceTypes: [] }, "SSM parameter /x"),
        (e: Error) =>
          e instanceof ProcessorConfigError && e.problems.length === 3 && e.problems.every((p) => p.startsWith("SSM parameter /x: ")),
      );
    });

    it("does not quote an unparseable document (it is a SecureString)", () => {
      assert.throws(
        () => parseProcessorConfig('{"secret": tru', "SSM parameter /x"),
        (e: Error) => /SSM parameter \/x is not valid JSON; store a JSON object such as/.test(e.message) && !e.message.includes("secret"),
      );
    });

    it("renderProcessorConfig gives the JSON the handler parses back, and refuses bad overrides", () => {
      assert.deepEqual(parseProcessorConfig(renderProcessorConfig()), DEFAULT_PROCESSOR_CONFIG);
      assert.deepEqual(parseProcessorConfig(renderProcessorConfig({ maxObjectBytes: 42 })).maxObjectBytes, 42);
      assert.throws(
        () => renderProcessorConfig({ intakePrefix: "intake" }),
        /renderProcessorConfig: intakePrefix must be an S3 key prefix/,
      );
    });

    it("agrees with the stack key maxRecordSizeInBytes (default and upper bound)", () => {
      assert.equal(DEFAULT_MAX_OBJECT_BYTES, CONFIG_SCHEMA.maxRecordSizeInBytes.default);
      assert.match(CONFIG_SCHEMA.maxRecordSizeInBytes.description, /100 MiB/);
      assert.equal(MAX_OBJECT_BYTES_LIMIT, 100 * 1024 * 1024);
    });
  });

  describe("audit table", () => {
    it("is keyed by objectKey (S) and versionId (S), in both shapes", () => {
      assert.deepEqual(AUDIT_TABLE_KEY_SCHEMA, {
        partitionKey: { name: "objectKey", type: "S" },
        sortKey: { name: "versionId", type: "S" },
      });
      assert.equal(AUDIT_TABLE_ATTRIBUTES.hashKey, "objectKey");
      assert.equal(AUDIT_TABLE_ATTRIBUTES.rangeKey, "versionId");
      assert.deepEqual(AUDIT_TABLE_ATTRIBUTES.attributes, [
        { name: "objectKey", type: "S" },
        { name: "versionId", type: "S" },
      ]);
    });

    it("supports exactly the types the validator was generated for", async () => {
      const generated = await import("../../lambda/data-processor/fhir/validator.generated");
      assert.deepEqual([...generated.SUPPORTED_RESOURCE_TYPES], [...SUPPORTED_RESOURCE_TYPES]);
    });
  });
});
