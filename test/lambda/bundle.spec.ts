/**
 * The data-processor bundle: deterministic, AWS SDK left to the runtime, small, and working: the
 * bundled `index.js` itself processes records against local S3 and DynamoDB.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildLambdaBundle, bundleLambda, LAMBDA_NODE_TARGET, LAMBDA_RUNTIME } from "../../components/lib/lambda-bundle";
import { DATA_PROCESSOR_HANDLER } from "../../lambda/data-processor/contract";
import type { DataProcessorHandler } from "../../lambda/data-processor/index";
import { captureOutput, LocalAws, s3Event, s3Record, startLocalAws } from "../../tools/local-aws/data-processor";
import { json, notJson, validPatient } from "../../tools/local-aws/fhir-records";

const ENTRY = "lambda/data-processor/index.ts";
const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Size bound of index.js: the generated validator is ~300 kB minified, the rest ~20 kB. */
const MAX_BUNDLE_BYTES = 400 * 1024;

describe("data-processor bundle", function () {
  this.timeout(60_000);
  const bundle = buildLambdaBundle(ENTRY);
  const code = bundle.files["index.js"].toString("utf8");

  it(`targets ${LAMBDA_RUNTIME} and exports the contract's handler name`, () => {
    assert.equal(LAMBDA_RUNTIME, "nodejs22.x");
    assert.equal(LAMBDA_NODE_TARGET, "node22");
    assert.equal(DATA_PROCESSOR_HANDLER, "index.handler");
    assert.deepEqual(Object.keys(bundle.files), ["index.js"]);
  });

  it("is deterministic: building again, from an absolute path, gives the same bytes", () => {
    const again = buildLambdaBundle(path.join(REPO_ROOT, ENTRY));
    assert.equal(again.sha256, bundle.sha256);
    assert.ok(again.files["index.js"].equals(bundle.files["index.js"]));
    assert.match(bundle.sha256, /^[0-9a-f]{64}$/);
  });

  it("contains no AWS SDK code: @aws-sdk/* is only required from the runtime", () => {
    const mentions = code.match(/.{0,9}@aws-sdk\/[a-z0-9-]+/g) ?? [];
    assert.ok(mentions.length > 0);
    for (const m of mentions) assert.match(m, /require\("@aws-sdk\/[a-z0-9-]+$/, `a non-require mention: ${m}`);
    const required = [...new Set([...code.matchAll(/require\("(@aws-sdk\/[a-z0-9-]+)"\)/g)].map((m) => m[1]))].sort();
    assert.deepEqual(required, [
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/client-s3",
      "@aws-sdk/client-sns",
      "@aws-sdk/client-ssm",
      "@aws-sdk/lib-dynamodb",
    ]);
    assert.ok(!code.includes("@smithy/"), "no Smithy runtime either (it comes with the SDK)");
    assert.ok(
      !code.includes("fhir.schema.json") && !code.includes("json-schema.org/draft-06"),
      "the 3.3 MB official schema is not bundled",
    );
  });

  it(`is under ${MAX_BUNDLE_BYTES / 1024} KiB and holds no build-machine paths`, () => {
    assert.ok(bundle.sizeBytes < MAX_BUNDLE_BYTES, `index.js is ${bundle.sizeBytes} bytes`);
    assert.equal(bundle.sizeBytes, bundle.files["index.js"].length);
    assert.ok(!code.includes(REPO_ROOT) && !code.includes(os.homedir()), "no absolute paths");
    assert.ok(!code.includes("sourceMappingURL"), "no source map unless asked for");
  });

  it("with sourceMap: a linked map without sourcesContent and with repository-relative paths", () => {
    const mapped = buildLambdaBundle(ENTRY, { sourceMap: true });
    assert.deepEqual(Object.keys(mapped.files).sort(), ["index.js", "index.js.map"]);
    assert.match(mapped.files["index.js"].toString(), /\/\/# sourceMappingURL=index\.js\.map\s*$/);
    const map = JSON.parse(mapped.files["index.js.map"].toString());
    assert.equal(map.sourcesContent, undefined);
    assert.ok(map.sources.includes("lambda/data-processor/index.ts"), JSON.stringify(map.sources.slice(0, 5)));
    for (const source of map.sources as string[]) assert.ok(!path.isAbsolute(source) && !source.includes(REPO_ROOT), source);
    assert.equal(buildLambdaBundle(ENTRY, { sourceMap: true }).sha256, mapped.sha256);
  });

  it("bundleLambda returns a Pulumi archive holding exactly that index.js", async () => {
    const archive = bundleLambda(ENTRY);
    assert.ok(archive instanceof pulumi.asset.AssetArchive);
    const assets = await archive.assets;
    assert.deepEqual(Object.keys(assets), ["index.js"]);
    assert.ok(assets["index.js"] instanceof pulumi.asset.StringAsset);
    assert.equal(await assets["index.js"].text, code);
  });

  it("reports a build error naming the entry", () => {
    assert.throws(() => buildLambdaBundle("lambda/does-not-exist/index.ts"), /does-not-exist/);
  });

  describe("the bundled handler runs", () => {
    let aws: LocalAws;
    let dir: string;
    let bundled: DataProcessorHandler;

    before(async () => {
      aws = await startLocalAws();
      // As the Lambda runtime loads it: index.js on its own, the AWS SDK resolved from node_modules.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "data-processor-bundle-"));
      fs.writeFileSync(path.join(dir, "index.js"), code);
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      bundled = require(path.join(dir, "index.js")).handler;
    });
    after(async () => {
      delete require.cache[require.resolve(path.join(dir, "index.js"))];
      fs.rmSync(dir, { recursive: true, force: true });
      await aws?.stop();
    });

    it("processes a valid Patient and quarantines a record that is not JSON", async () => {
      await aws.put("intake/bundled/ok.json", json(validPatient));
      await aws.put("intake/bundled/bad.json", notJson);
      const run = await captureOutput(() =>
        bundled(s3Event(s3Record("intake/bundled/ok.json", 500), s3Record("intake/bundled/bad.json", notJson.length)), {
          awsRequestId: "bundle-1",
        }),
      );
      assert.equal(run.error, undefined, String(run.error));
      assert.deepEqual(run.result, { records: 2, processed: 1, quarantined: 1, duplicates: 0, ignored: 0 });
      assert.ok(await aws.get("processed/bundled/ok.json"));
      assert.ok(await aws.get("quarantine/bundled/bad.json"));
      const outcomes = (await aws.auditItems()).map((i) => [i.objectKey, i.outcome]).sort();
      assert.deepEqual(outcomes, [
        ["intake/bundled/bad.json", "QUARANTINED"],
        ["intake/bundled/ok.json", "PROCESSED"],
      ]);
      assert.ok(run.lines.some((l) => JSON.parse(l).message === "invocation.done"));
    });
  });
});
