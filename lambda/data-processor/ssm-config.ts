/**
 * Loads the processor configuration from its SSM SecureString parameter once per function
 * instance. A successful load is kept; a failed one (network, access, invalid document) is not,
 * so the next invocation tries again and the error repeats until the parameter is fixed.
 */
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { ProcessorConfig, ProcessorConfigError, parseProcessorConfig } from "./contract";
import type { Logger } from "./log";

export type ConfigLoader = () => Promise<ProcessorConfig>;

export function createConfigLoader(ssm: SSMClient, parameterName: string, log: Logger): ConfigLoader {
  let cached: Promise<ProcessorConfig> | undefined;
  const load = async (): Promise<ProcessorConfig> => {
    let out;
    try {
      out = await ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    } catch (e) {
      const err = e as Error;
      throw new Error(
        `reading the configuration from SSM parameter ${parameterName} failed (${err.name}: ${err.message}); check that it exists and the function may ssm:GetParameter and kms:Decrypt it`,
        { cause: e },
      );
    }
    const value = out.Parameter?.Value;
    if (value === undefined) {
      throw new ProcessorConfigError([`SSM parameter ${parameterName} has no value; store the configuration JSON in it`]);
    }
    if (out.Parameter?.Type !== "SecureString") {
      log("WARN", "config.parameter-not-secure-string", { parameter: parameterName, type: out.Parameter?.Type });
    }
    const config = parseProcessorConfig(value, `SSM parameter ${parameterName}`);
    log("INFO", "config.loaded", {
      parameter: parameterName,
      version: out.Parameter?.Version,
      intakePrefix: config.intakePrefix,
      processedPrefix: config.processedPrefix,
      quarantinePrefix: config.quarantinePrefix,
      maxObjectBytes: config.maxObjectBytes,
      acceptedResourceTypes: config.acceptedResourceTypes.join(","),
    });
    return config;
  };
  return () => {
    if (!cached) {
      cached = load();
      cached.catch(() => {
        cached = undefined;
      });
    }
    return cached;
  };
}
