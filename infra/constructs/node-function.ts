import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { fromRoot, repoRoot } from '../paths';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface NodeFunctionProps {
  /** The entry file, from the repository root: `functions/api.ts`. Must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`): names the function in logs and traces. */
  readonly serviceName: string;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  /** Applies to the function's log group. */
  readonly removalPolicy: RemovalPolicy;
  /** @default 1024 MB: CPU scales with memory; 1 GB keeps cold starts of a bundled SDK short. */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  readonly environment?: Record<string, string>;
  /**
   * Where asynchronous invocations land after Lambda's retries fail (EventBridge targets).
   * Functions invoked synchronously or by an SQS event source have none: their caller or the
   * queue's redrive policy handles failures.
   */
  readonly deadLetterQueue?: IQueue;
}

/**
 * Defines `require` in the ESM bundle, so CommonJS dependencies that call `require()` for
 * Node built-ins keep working after esbuild turns everything into one `.mjs` file.
 */
const requireShim =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

const applicationLogLevels: Record<LogLevel, ApplicationLogLevel> = {
  DEBUG: ApplicationLogLevel.DEBUG,
  INFO: ApplicationLogLevel.INFO,
  WARN: ApplicationLogLevel.WARN,
  ERROR: ApplicationLogLevel.ERROR,
};

/**
 * The house Lambda function: Node.js 24 on Graviton (arm64), one minified ESM bundle with
 * linked source maps, an explicit log group with retention, JSON logs, X-Ray active tracing,
 * and a role that starts with nothing but writing to that log group (bind helpers add the rest).
 *
 * The AWS SDK v3 is bundled (not taken from the runtime): the version we test with is the
 * version that runs, `@aws-sdk/lib-dynamodb` always matches its client, and a runtime SDK
 * update can't change behaviour under us. Tree-shaken and minified it costs little cold start.
 */
export class NodeFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole (logs:* on every log group):
    // this function may write to its own log group and nowhere else.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.serviceName}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: fromRoot(props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      loggingFormat: LoggingFormat.JSON,
      // Same level for Lambda's own filter and Powertools, so neither silently drops the other's lines.
      applicationLogLevelV2: applicationLogLevels[props.logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      projectRoot: repoRoot,
      depsLockFilePath: fromRoot('package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // DEFAULT: a linked index.mjs.map beside the bundle (esbuild --sourcemap).
        sourceMapMode: SourceMapMode.DEFAULT,
        // Stack traces need the mappings, not a copy of every source file.
        sourcesContent: false,
        banner: requireShim,
        tsconfig: fromRoot('tsconfig.json'),
        bundleAwsSDK: true,
        // index.meta.json beside the bundle: `npm run bench -- api` reads it to say what the bytes are.
        metafile: true,
        externalModules: [],
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (test/infra asserts * carries nothing else).',
    });
  }
}
