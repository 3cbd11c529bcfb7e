import { describe, expect, it } from 'vitest';
import { partnerIndexKeys, partnerKey } from '#functions/partners/keys';
import { createTableInput } from '#platform/table-admin';

describe('partner keys', () => {
  it('puts a partner profile in its own partition', () => {
    expect(partnerKey('globex')).toEqual({ pk: 'PARTNER#globex', sk: 'PROFILE' });
  });

  it('indexes partners by lower-cased name, overall and per tier', () => {
    expect(partnerIndexKeys({ id: 'globex', name: 'Globex Integrations', tier: 'silver' })).toEqual({
      gsi1pk: 'PARTNERS',
      gsi1sk: 'NAME#globex integrations#globex',
      gsi2pk: 'TIER#silver',
      gsi2sk: 'NAME#globex integrations#globex',
    });
  });
});

describe('createTableInput', () => {
  it('builds the table the embedded runtime creates from the shared definition', () => {
    expect(createTableInput('t')).toEqual({
      TableName: 't',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });
});
