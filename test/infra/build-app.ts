import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import * as z from 'zod';
import { addChannelKit, type ChannelKitStacks } from '../../infra/channelkit';
import { parseStageConfig, type StageConfig } from '../../infra/config';
import { fromRoot } from '../../infra/paths';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
const featureFlags = (): Record<string, unknown> => {
  const cdkJson = z.object({ context: z.record(z.string(), z.unknown()) });
  return cdkJson.parse(JSON.parse(readFileSync(fromRoot('cdk.json'), 'utf8'))).context;
};

/** A stand-in for `web/dist`: an index.html and a hashed asset in a fresh temp folder. */
export const fakePortalBuild = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'channelkit-web-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ChannelKit</title>');
  writeFileSync(join(dir, 'app.3f2a9c.js'), 'console.log("portal")');
  return dir;
};

export interface TestApp extends ChannelKitStacks {
  readonly cdkApp: App;
  readonly config: StageConfig;
}

/**
 * One ChannelKit stage in a fresh CDK app, without bundling (esbuild is exercised by
 * `npx cdk synth`; here it would only cost seconds). Build once per file, in beforeAll.
 */
export const buildTestApp = (
  raw: Record<string, unknown> = {},
  webAssetPath: string = fakePortalBuild(),
): TestApp => {
  const cdkApp = new App({ context: { ...featureFlags(), 'aws:cdk:bundling-stacks': [] } });
  const config = parseStageConfig(raw);
  const stacks = addChannelKit(cdkApp, config, { webAssetPath });
  return { cdkApp, config, ...stacks };
};
