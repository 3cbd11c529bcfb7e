import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';

/**
 * The cdk-nag packs every synth runs: AWS Solutions (security baseline) and Serverless
 * (DLQs, throttling, tracing, memory/timeouts). Error-level findings fail `cdk synth`;
 * acknowledgements sit next to the resource they excuse, each with its reason
 * (listed in infra/README.md).
 */
export const nagPacks = (): NagPack[] => [new AwsSolutionsChecks(), new ServerlessChecks()];

export const registerNagPacks = (app: App): void => {
  Validations.of(app).addPlugins(...nagPacks());
};
