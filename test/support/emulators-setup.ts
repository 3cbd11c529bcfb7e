import type { TestProject } from 'vitest/node';
import { startDynamoLocal, startSesLocal } from '#functions/local/emulators';
import { freePort } from '#functions/local/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

/** Starts DynamoDB Local (in memory) and the SES v2 emulator once for the integration project. */
export default async function setup(project: TestProject) {
  const [dynamo, ses] = await Promise.all([
    freePort().then((port) => startDynamoLocal({ port })),
    freePort().then((port) => startSesLocal({ port })),
  ]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}
