import { openSection, publishedSequence, screenshot, signIn, useConsoleStack } from './support/console-stack';

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
  sendWindow: { days: [1, 2, 3, 4, 5], startHour: 0, endHour: 24 },
};

describe('the console: sequences (Chromium on the real stack)', () => {
  const stack = useConsoleStack();
  let sequenceId: string;

  beforeAll(async () => {
    sequenceId = await publishedSequence(stack.http, 'Renewal', renewal);
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
    await page.getByRole('link', { name: 'v1', exact: true }).click();
    await page.getByRole('heading', { name: 'Version 1' }).waitFor();
    await steps.getByText('after at once').waitFor();
    await steps.getByText('template renewal_nudge').waitFor();

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
    expect(problems).toEqual([]);
  });
});
