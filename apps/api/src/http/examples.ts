/** Example bodies for the OpenAPI document (shapes as the API answers them). */
const ids = {
  sequence: '6f1c2d0e-3b4a-4c5d-8e9f-0a1b2c3d4e5f',
  enrollment: '90cd1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  request: 'c0ffee00-1111-4222-8333-444455556666',
  bulk: 'b01d0000-aaaa-4bbb-8ccc-dddddddddddd',
};

export const EXAMPLES = {
  ids,
  sequence: {
    id: ids.sequence,
    name: 'Billing follow-up',
    active: true,
    publishedVersion: 1,
    draft: {
      targetType: 'charge',
      triggers: [{ type: 'event', eventType: 'charge.overdue' }],
      steps: [{ delayMinutes: 0, channel: 'whatsapp', content: 'Your invoice is overdue.' }],
      exitRules: ['charge_paid'],
    },
  },
  accepted: { requestId: ids.request, status: 'accepted' },
  bulkAccepted: {
    bulkId: ids.bulk,
    total: 2,
    requests: [
      { contactId: 'ana', requestId: `${ids.bulk}:0` },
      { contactId: 'bob', requestId: `${ids.bulk}:1` },
    ],
  },
  bulkProgress: { id: ids.bulk, total: 2, decided: 2, pending: 0, done: true, byReason: { enrolled: 2 } },
  enrollment: {
    id: ids.enrollment,
    sequenceId: ids.sequence,
    sequenceVersion: 1,
    contactId: 'ana',
    targetType: 'charge',
    targetId: 'ch_1001',
    method: 'event',
    state: 'active',
    nextStepIndex: 1,
    nextStepDueAt: '2026-12-05T09:00:00.000Z',
  },
  decision: {
    requestId: ids.request,
    contactId: 'ana',
    sequenceId: ids.sequence,
    method: 'api',
    outcome: 'ignored',
    reason: 'duplicate',
    relatedId: ids.enrollment,
    explanation:
      'Ignored: the contact already has an active or paused enrollment in this sequence for this target.',
    links: { liveEnrollment: `/v1/enrollments/${ids.enrollment}` },
  },
  eventWhy: {
    eventId: 'evt-1',
    eventType: 'charge.overdue',
    routed: [{ sequenceId: ids.sequence, method: 'event' }],
    sequences: [
      {
        sequenceId: ids.sequence,
        heard: true,
        requestId: `event:evt-1:${ids.sequence}`,
        conclusion: 'enrolled',
      },
    ],
  },
  inactivityWhy: {
    conversationId: 'conv-1',
    tracked: { contactId: 'ana', status: 'open', lastActivityAt: '2026-12-04T10:00:00.000Z' },
    sequences: [
      { sequenceId: ids.sequence, limitMinutes: 60, statusCounts: true, conclusion: 'not_idle_yet' },
    ],
  },
};
