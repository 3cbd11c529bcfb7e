import { App } from 'aws-cdk-lib';
import { addChannelKit } from './channelkit';
import { parseStageConfig } from './config';
import { fromRoot } from './paths';

/**
 * The CDK app: the only place that reads CDK context and the environment. Everything is
 * optional (`npx cdk synth` works offline, with no context and no credentials):
 *   -c stage=prod -c cognitoDomainPrefix=acme-channelkit -c vendorSendingDomain=mail.acme.com
 *   -c vendorName=Acme -c vendorWebsite=https://www.acme.com
 *   -c removalPolicy=retain|destroy -c threatProtection=enforced|audit -c logLevel=INFO
 *   -c sendConcurrency=10 -c alarmEmail=ops@acme.com -c evidenceRetentionDays=2557 -c webDist=web/dist
 * Account and region come from the CLI's credentials (CDK_DEFAULT_ACCOUNT/REGION) when present.
 */
const app = new App();

const context = (key: string): unknown => app.node.tryGetContext(key);

const config = parseStageConfig({
  stage: context('stage'),
  cognitoDomainPrefix: context('cognitoDomainPrefix'),
  vendorSendingDomain: context('vendorSendingDomain'),
  vendorName: context('vendorName'),
  vendorWebsite: context('vendorWebsite'),
  removalPolicy: context('removalPolicy'),
  threatProtection: context('threatProtection'),
  logLevel: context('logLevel'),
  sendConcurrency: context('sendConcurrency'),
  alarmEmail: context('alarmEmail'),
  evidenceRetentionDays: context('evidenceRetentionDays'),
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});

const webDist = context('webDist');
addChannelKit(app, config, { webAssetPath: fromRoot(typeof webDist === 'string' ? webDist : 'web/dist') });
