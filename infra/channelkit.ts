import { type App, Tags } from 'aws-cdk-lib';
import { AppStack } from './app-stack';
import type { StageConfig } from './config';
import { DataStack } from './data-stack';
import { registerNagPacks } from './nag';

export interface ChannelKitStacks {
  readonly data: DataStack;
  readonly app: AppStack;
}

export interface ChannelKitOptions {
  /** The built portal folder (`web/dist`). */
  readonly webAssetPath: string;
}

/**
 * Adds one stage of ChannelKit to a CDK app: `ChannelKit-<stage>-Data` (stateful) and
 * `ChannelKit-<stage>-App` (stateless), tagged, with the cdk-nag packs registered.
 * `app.ts` calls it with the parsed context; tests call it with their own config.
 */
export const addChannelKit = (
  app: App,
  config: StageConfig,
  options: ChannelKitOptions,
): ChannelKitStacks => {
  const env = config.env;
  const prefix = `ChannelKit-${config.stage}`;
  const data = new DataStack(app, `${prefix}-Data`, {
    config,
    env,
    description: `ChannelKit ${config.stage}: stateful resources (DynamoDB table, blob and evidence buckets, tracking secret, SES)`,
  });
  const stack = new AppStack(app, `${prefix}-App`, {
    config,
    env,
    table: data.table,
    blobs: data.blobs,
    evidence: data.evidence,
    trackingSecret: data.trackingSecret,
    sending: data.sending,
    webAssetPath: options.webAssetPath,
    description: `ChannelKit ${config.stage}: API, sign-in, portal hosting and the send pipeline`,
  });
  Tags.of(app).add('project', 'channelkit');
  Tags.of(app).add('stage', config.stage);
  registerNagPacks(app);
  return { data, app: stack };
};
