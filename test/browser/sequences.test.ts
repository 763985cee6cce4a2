import { waitUntil } from '../support/wait-until';
import { openSection, publishedSequence, screenshot, signIn, useConsoleStack } from './support/console-stack';

interface FunnelBody {
  entered: number;
  paused: number;
  cancelled: number;
  steps: Array<{ sent: number }>;
}

const renewal = {
  targetType: 'contact',
  steps: [
    { delayMinutes: 0, channel: 'email', content: 'Your plan renews soon.' },
    {
      delayMinutes: 2880,
      channel: 'whatsapp',
      template: { name: 'renewal_nudge', variables: { tone: 'warm' } },
    },
  ],
  exitRules: ['replied', 'charge_paid'],
  // Every day: the first step is sent at once whatever day the test runs (a weekday-only window parks it).
  sendWindow: { days: [0, 1, 2, 3, 4, 5, 6], startHour: 0, endHour: 24 },
};

describe('the console: sequences (Chromium on the real stack)', () => {
  const stack = useConsoleStack();
  let sequenceId: string;

  beforeAll(async () => {
    sequenceId = await publishedSequence(stack.http, 'Renewal', renewal);
    // A run of version 1 for its funnel: 12 contacts, the first step sent to each, then 2 paused and 1 cancelled.
    const contacts = Array.from({ length: 12 }, (_, i) => ({ contactId: `renew-${i}` }));
    await stack.http.post('/v1/enrollments/bulk', { sequenceId, userId: 'ops', contacts });
    await waitUntil(
      'the first step sent to all 12',
      async () => (await stack.http.get<FunnelBody>(`/v1/sequences/${sequenceId}/funnel?version=1`)).body,
      (funnel) => funnel.steps[0]?.sent === 12,
    );
    const live = await stack.http.get<{ items: Array<{ id: string }> }>(
      `/v1/enrollments?sequenceId=${sequenceId}`,
    );
    const [a, b, c] = live.body.items;
    for (const [enrollment, kind] of [
      [a, 'pause'],
      [b, 'pause'],
      [c, 'cancel'],
    ] as const)
      await stack.http.post(`/v1/enrollments/${enrollment?.id}/${kind}`, { userId: 'ops' });
    await waitUntil(
      'the pauses and the cancel counted',
      async () => (await stack.http.get<FunnelBody>(`/v1/sequences/${sequenceId}/funnel?version=1`)).body,
      (funnel) => funnel.paused === 2 && funnel.cancelled === 1,
    );
    // A second version: the first step now waits an hour.
    const steps = [{ ...renewal.steps[0], delayMinutes: 60 }, renewal.steps[1]];
    await stack.http.put(`/v1/sequences/${sequenceId}`, {
      name: 'Renewal',
      definition: { ...renewal, steps },
    });
    await stack.http.post(`/v1/sequences/${sequenceId}/publish`);
    await stack.http.post('/v1/sequences', { name: 'Winback (draft)', definition: renewal });
  });

  it('lists the sequences, shows each version, deactivates one and the next enrollment is refused, then activates it', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url('sequences'), stack.apiKey);
    const rows = page.getByRole('table', { name: 'Sequences' }).locator('tbody tr');
    await rows.filter({ hasText: 'Renewal' }).filter({ hasText: 'v2' }).waitFor();
    expect(await rows.filter({ hasText: 'Winback (draft)' }).textContent()).toContain('draft only');
    await screenshot(page, 'sequences');

    await rows.filter({ hasText: 'Renewal' }).getByRole('link', { name: 'Renewal' }).click();
    await page.getByRole('heading', { name: 'Version 2' }).waitFor();
    const steps = page.getByRole('list', { name: 'Steps' });
    await steps.getByText('after 1 h').waitFor();
    await page.getByText('No contact entered this version yet.').waitFor();
    await page.getByRole('link', { name: 'v1', exact: true }).click();
    await page.getByRole('heading', { name: 'Version 1' }).waitFor();
    await steps.getByText('after at once').waitFor();
    await steps.getByText('template renewal_nudge').waitFor();

    await page.getByRole('heading', { name: 'Funnel of v1' }).waitFor();
    const tile = (label: string) => page.locator('.tile').filter({ hasText: label }).locator('dd');
    await page.locator('.funnel svg').waitFor();
    expect(await tile('Entered').textContent()).toBe('12');
    expect(await tile('Paused').textContent()).toBe('2');
    expect(await tile('Cancelled').textContent()).toBe('1');
    expect(await page.locator('.funnel svg .funnel-row').count()).toBe(2);
    const perStep = page.getByRole('table', { name: 'Funnel per step' }).locator('tbody tr');
    expect(await perStep.first().locator('td').allTextContents()).toEqual([
      '1',
      'email',
      '12',
      '12',
      '0',
      '0',
      '0',
    ]);
    expect(await page.locator('.funnel svg title').textContent()).toContain('step 1 12 sent');
    await screenshot(page, 'sequence');

    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Activate' }).waitFor();
    await page
      .getByRole('heading', { name: /Renewal/ })
      .getByText('inactive')
      .waitFor();

    await page.getByRole('link', { name: 'Enroll contacts' }).click();
    const one = page.getByRole('form', { name: 'One contact' });
    await one.getByLabel('Sequence').locator('option', { hasText: 'Renewal' }).waitFor({ state: 'attached' });
    expect(await one.getByLabel('Sequence').inputValue()).toBe(sequenceId);
    await one.getByLabel('Contact id').fill('carla');
    await one.getByRole('button', { name: 'Enroll' }).click();
    await one.getByRole('status').getByText('Ignored: the sequence is not active.').waitFor();

    await page.goto(stack.url(`sequences/${sequenceId}`));
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    await openSection(page, 'Enroll');
    await one.getByLabel('Sequence').selectOption(sequenceId);
    await one.getByLabel('Contact id').fill('carla');
    await one.getByRole('button', { name: 'Enroll' }).click();
    await one.getByRole('status').getByText('Enrolled: the sequence started for this contact.').waitFor();

    // Cancelling asks once more, then ends the enrollment for good.
    await one.getByRole('link', { name: 'Open the enrollment' }).click();
    await page.getByRole('button', { name: 'Cancel enrollment' }).click();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('button', { name: 'Cancel enrollment' }).click();
    await page.getByRole('button', { name: 'Confirm cancel' }).click();
    await page.getByRole('status').getByText('Cancelled.').waitFor();
    await page.getByText('This enrollment has ended (cancelled); it can no longer change.').waitFor();
    await page.getByRole('heading', { name: /carla/ }).getByText('cancelled').waitFor();
    expect(problems).toEqual([]);
  });
});
