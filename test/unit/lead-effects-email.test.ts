import { describe, expect, it } from 'vitest';
import {
  displayText,
  type EqlNotice,
  eqlEmail,
  leadCompany,
  leadDisplayName,
  partnerReason,
} from '#functions/leads/effects/eql-email';
import { partnerCampaignId, partnersToNotify } from '#functions/leads/effects/notify';
import type { Lead } from '#functions/leads/lead-schema';

const LEAD_ID = '01JD2Q4ZV3W8X6Y1N0P5R7T9KM';
const at = '2026-11-24T12:00:00.000Z';

const lead = (overrides: Partial<Lead> = {}): Lead => ({
  id: LEAD_ID,
  email: 'ada@acme-widgets.example',
  fields: { first_name: 'Ada', last_name: 'Lovelace', company: 'Acme Widgets', job_title: 'CTO' },
  companyDomain: 'acme-widgets.example',
  touches: [
    { kind: 'email-click', at, partnerId: 'northwind', campaignId: '01JCAMPAIGNNORTHWIND000000A' },
    { kind: 'form-submit', at, partnerId: 'initech', campaignId: '01JCAMPAIGNINITECH00000000A' },
    { kind: 'form-submit', at, partnerId: 'northwind', campaignId: '01JCAMPAIGNNORTHWIND000000B' },
  ],
  consents: [],
  campaignIds: ['01JCAMPAIGNNORTHWIND000000A', '01JCAMPAIGNNORTHWIND000000B', '01JCAMPAIGNINITECH00000000A'],
  partnerIds: ['northwind', 'initech'],
  attribution: {
    kind: 'partner-sourced',
    firstPartnerId: 'northwind',
    partnerIds: ['northwind', 'initech'],
    reasons: [],
    credit: { 'first-touch': [], 'last-touch': [], linear: [] },
  },
  qualification: { qualified: true, configVersion: 1, rules: [] },
  eql: {
    eql: true,
    reasons: [
      'acme-widgets.example is neither a vendor customer nor an open vendor opportunity',
      'acme-widgets.example is a customer of partner northwind',
      'acme-widgets.example is an open opportunity of partner globex',
    ],
    overlaps: [
      { partnerId: 'globex', kind: 'opportunity' },
      { partnerId: 'northwind', kind: 'customer' },
    ],
    decidedAt: at,
  },
  engaged: true,
  status: 'qualified',
  statusReason: null,
  won: null,
  submissions: 1,
  createdAt: at,
  updatedAt: at,
  version: 2,
  ...overrides,
});

const notice: EqlNotice = {
  vendorName: 'Vendor',
  partnerName: 'Northwind Networks',
  leadName: 'Ada Lovelace',
  jobTitle: 'CTO',
  company: 'Acme Widgets',
  campaignName: 'Zero trust webinar',
  reason: partnerReason(lead(), 'northwind'),
  leadUrl: `https://portal.vendor.example/leads/${LEAD_ID}`,
};
const sender = {
  fromAddress: 'notifications@mail.vendor.example',
  vendorName: 'Vendor',
  configurationSetName: 'channelkit-dev',
};

describe('who hears of a new EQL', () => {
  it('is each partner with a touch whose own list overlaps: not a toucher without overlap, not an overlap without a touch', () => {
    expect(partnersToNotify({ partnerIds: ['northwind', 'initech', 'northwind'] }, lead())).toEqual([
      'northwind',
    ]);
    expect(partnersToNotify({ partnerIds: ['initech'] }, lead())).toEqual([]);
  });

  it('names the partner’s own campaign: the event’s when it is theirs, else their latest touch’s', () => {
    expect(partnerCampaignId({ campaignId: '01JCAMPAIGNNORTHWIND000000A' }, lead(), 'northwind')).toBe(
      '01JCAMPAIGNNORTHWIND000000A',
    );
    expect(partnerCampaignId({ campaignId: '01JCAMPAIGNINITECH00000000A' }, lead(), 'northwind')).toBe(
      '01JCAMPAIGNNORTHWIND000000B',
    );
    expect(partnerCampaignId({}, lead(), 'globex')).toBeUndefined();
  });
});

describe('the reason given to a partner', () => {
  it('names only that partner’s overlap, never another partner or the lead’s full reasons', () => {
    expect(partnerReason(lead(), 'northwind')).toBe(
      'acme-widgets.example is one of your customers, and neither a vendor customer nor an open vendor opportunity.',
    );
    expect(partnerReason(lead(), 'globex')).toBe(
      'acme-widgets.example is one of your open opportunities, and neither a vendor customer nor an open vendor opportunity.',
    );
    const both = lead({
      eql: {
        ...lead().eql,
        overlaps: [
          { partnerId: 'northwind', kind: 'opportunity' },
          { partnerId: 'northwind', kind: 'customer' },
        ],
      },
    });
    expect(partnerReason(both, 'northwind')).toBe(
      'acme-widgets.example is one of your customers and one of your open opportunities, and neither a vendor customer nor an open vendor opportunity.',
    );
  });
});

describe('visitor input in the notice', () => {
  it('becomes one clean line of bounded length', () => {
    expect(displayText('  Ada\r\nBcc: x@evil.example\u0000  ')).toBe('Ada Bcc: x@evil.example');
    expect(displayText('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(leadDisplayName(lead({ fields: {} }))).toBe('A new lead');
    expect(leadCompany(lead({ fields: {} }))).toBe('acme-widgets.example');
  });
});

describe('the EQL email', () => {
  it('is exactly this message: vendor identity and configuration set, partner address, tags for events', () => {
    const email = eqlEmail(notice, sender, 'marketing@northwind.example', {
      leadId: LEAD_ID,
      partnerId: 'northwind',
    });

    expect(email).toEqual({
      from: '"Vendor Partner Portal" <notifications@mail.vendor.example>',
      replyTo: 'notifications@mail.vendor.example',
      to: 'marketing@northwind.example',
      subject: 'New EQL: Ada Lovelace at Acme Widgets',
      html: expect.any(String),
      text: [
        'Hello Northwind Networks team,',
        '',
        'Ada Lovelace (CTO) at Acme Widgets responded to your campaign Zero trust webinar and is an ecosystem-qualified lead (EQL).',
        '',
        'Why it is an EQL for you: acme-widgets.example is one of your customers, and neither a vendor customer nor an open vendor opportunity.',
        '',
        `Open the lead in the Vendor partner portal: https://portal.vendor.example/leads/${LEAD_ID}`,
        '',
        'Vendor sends this notice to the reply-to address of your brand profile.',
        '',
      ].join('\n'),
      headers: [],
      configurationSetName: 'channelkit-dev',
      tags: { notification: 'lead-eql', lead: LEAD_ID, partner: 'northwind' },
    });
    expect(email.html).toBe(`<!doctype html>
<html lang="en">
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<p>Hello Northwind Networks team,</p>
<p><strong>Ada Lovelace</strong> (CTO) at <strong>Acme Widgets</strong> responded to your campaign <strong>Zero trust webinar</strong> and is an ecosystem-qualified lead (EQL).</p>
<p><strong>Why it is an EQL for you:</strong> acme-widgets.example is one of your customers, and neither a vendor customer nor an open vendor opportunity.</p>
<p><a href="https://portal.vendor.example/leads/${LEAD_ID}" style="color:#1d4ed8">Open the lead in the Vendor partner portal</a></p>
<p style="color:#52606d;font-size:12px">Vendor sends this notice to the reply-to address of your brand profile.</p>
</body>
</html>
`);
  });

  it('escapes what a visitor typed in the HTML and keeps it out of the headers', () => {
    const hostile = { ...notice, leadName: '<img src=x onerror=alert(1)>', company: 'A & B "Co"' };
    const email = eqlEmail(hostile, sender, 'marketing@northwind.example', {
      leadId: LEAD_ID,
      partnerId: 'northwind',
    });

    expect(email.html).toContain('<strong>&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</strong>');
    expect(email.html).toContain('<strong>A &amp; B &quot;Co&quot;</strong>');
    expect(email.html).not.toContain('<img');
    const injected = { ...notice, leadName: displayText('Ada\r\nBcc: victim@example.com') };
    expect(
      eqlEmail(injected, sender, 'marketing@northwind.example', { leadId: LEAD_ID, partnerId: 'northwind' })
        .subject,
    ).toBe('New EQL: Ada Bcc: victim@example.com at Acme Widgets');
  });

  it('refuses an address that is not a plain one', () => {
    expect(() =>
      eqlEmail(notice, sender, 'marketing@northwind.example\r\nBcc: x@y.example', {
        leadId: LEAD_ID,
        partnerId: 'northwind',
      }),
    ).toThrow(/To/);
  });

  it('says nothing of another partner', () => {
    const email = eqlEmail(notice, sender, 'marketing@northwind.example', {
      leadId: LEAD_ID,
      partnerId: 'northwind',
    });
    const everything = JSON.stringify(email).toLowerCase();

    expect(everything).not.toContain('globex');
    expect(everything).not.toContain('initech');
  });
});
