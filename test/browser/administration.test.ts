import type { Page } from 'playwright-core';
import { contactKey, dlqTopic } from '../../libs/contracts/src';
import { enrollmentRole } from '../../apps/enrollment/src/enrollment-app.module';
import { enrollCommand } from '../support/fixtures';
import { openSection, publishedSequence, screenshot, signIn, useConsoleStack } from './support/console-stack';

const followUp = {
  targetType: 'contact',
  steps: [{ delayMinutes: 30, channel: 'whatsapp', content: 'Any questions about your quote?' }],
  exitRules: ['replied'],
};

async function whyByRequest(page: Page, requestId: string): Promise<void> {
  await openSection(page, 'Why');
  const form = page.getByRole('form', { name: 'By request' });
  await form.getByLabel('Request id').fill(requestId);
  await form.getByRole('button', { name: 'Look up' }).click();
  await page.locator('article.decision').waitFor();
}

/** Creates a key on the settings page through its form; returns the secret the console shows once. */
async function createKey(page: Page, name: string, scope: 'admin' | 'enroll'): Promise<string> {
  const create = page.getByRole('form', { name: 'Create an API key' });
  await create.getByLabel('New key name').fill(name);
  await create.getByLabel('Scope').selectOption(scope);
  await create.getByRole('button', { name: 'Create key' }).click();
  return page.getByLabel('Secret').inputValue();
}

describe('the console: settings, API keys, audit and dead letters (Chromium on the real stack)', () => {
  // The account starts without the Automation/Flow module.
  const stack = useConsoleStack({ automationModuleEnabled: false });
  let sequenceId: string;

  beforeAll(async () => {
    sequenceId = await publishedSequence(stack.http, 'Quote follow-up', followUp);
  });

  /** What an automation rule of the CRM sends (onto the enrollment-commands topic), decided before returning. */
  async function automationEnroll(contactId: string): Promise<string> {
    const command = enrollCommand({
      accountId: stack.accountId,
      contactId,
      sequenceId,
      method: 'automation',
    });
    await stack.env.sendCommands([command]);
    await stack.env.drained([enrollmentRole]);
    return command.commandId;
  }

  it('toggles the Automation/Flow module and sees the decision change, with the change in the audit', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url(), stack.apiKey);
    await page.getByLabel('Signed in as').getByText('Acme Billing').waitFor();

    const refused = await automationEnroll('dora');
    await whyByRequest(page, refused);
    const decision = page.locator('article.decision');
    expect(await decision.locator('.badge').first().textContent()).toBe('module disabled');
    await decision.getByText('Ignored: the account does not have the Automation/Flow module.').waitFor();

    await openSection(page, 'Settings');
    const toggle = page.getByRole('switch', { name: 'Automation / Flow module' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await page.getByRole('status').getByText('Saved: Automation / Flow module on.').waitFor();
    const audit = page.getByRole('table', { name: 'Audit' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await audit.locator('tbody tr').filter({ hasText: 'account.updated' }).waitFor();
    expect(await audit.locator('tbody tr').first().textContent()).toContain('automationModuleEnabled');

    const accepted = await automationEnroll('dora');
    await whyByRequest(page, accepted);
    expect(await decision.locator('.badge').first().textContent()).toBe('enrolled');
    await decision.getByText('Enrolled: the sequence started for this contact.').waitFor();
    await decision.getByText('automation', { exact: true }).waitFor();

    await page.goto(stack.url('settings'));
    await page.getByRole('switch', { name: 'Automation / Flow module' }).waitFor();
    await page.getByLabel('Time zone').fill('Europe/Lisbon');
    await page.getByLabel('Send only inside a window').check();
    await page.getByLabel('Until').selectOption('17');
    await page.getByRole('button', { name: 'Save time zone and window' }).click();
    await page.getByRole('status').getByText('Saved: time zone and send window.').waitFor();
    expect((await stack.http.get<{ timeZone: string }>('/v1/account')).body).toMatchObject({
      timeZone: 'Europe/Lisbon',
      sendWindow: { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 },
    });
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save time zone and window' }).click();
    await page.getByRole('alert').getByText('timeZone', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('creates a key, signs in with it, revokes it and is signed out; an enroll key sees no admin pages', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url('settings'), stack.apiKey);
    const secret = await createKey(page, 'ops laptop', 'admin');
    expect(secret).toMatch(/^cad_/);
    const keys = page.getByRole('table', { name: 'API keys' }).locator('tbody tr');
    await keys
      .filter({ hasText: 'ops laptop' })
      .filter({ hasText: secret.slice(0, 12) })
      .waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await screenshot(page, 'settings');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, stack.url('settings'), secret);
    await page.getByLabel('Signed in as').getByText('ops laptop').waitFor();
    const own = keys.filter({ hasText: 'this session' });
    await own.filter({ hasText: 'ops laptop' }).waitFor();
    await own.getByRole('button', { name: 'Revoke ops laptop' }).click();
    await own.getByRole('button', { name: 'Confirm revoke' }).click();
    await page.getByRole('heading', { name: 'Cadence console' }).waitFor();
    await page.getByText('Your API key was refused (revoked or unknown).').waitFor();

    await page.getByLabel('API key').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('this key is unknown or revoked').waitFor();

    await signIn(page, stack.url('settings'), stack.apiKey);
    await keys.filter({ hasText: 'ops laptop' }).filter({ hasText: 'revoked' }).waitFor();
    const enrollKey = await createKey(page, 'enrollment bot', 'enroll');
    const audit = page.getByRole('table', { name: 'Audit' }).locator('tbody tr');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await audit.filter({ hasText: 'api_key.revoked' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, stack.url(), enrollKey);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await page.getByLabel('Signed in as').getByText('enroll', { exact: true }).waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Enrollments',
      'Enroll',
      'Why',
      'Sequences',
    ]);
    await page.goto(stack.url('settings'));
    await page
      .getByRole('alert')
      .getByText(/insufficient|admin/i)
      .first()
      .waitFor();
    expect(problems).toEqual([]);
  });

  it("rotates the session's own key and goes on signed in with its replacement; the old secret is refused", async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url('settings'), stack.apiKey);
    const first = await createKey(page, 'on-call phone', 'admin');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, stack.url('settings'), first);
    await page.getByLabel('Signed in as').getByText('on-call phone').waitFor();

    const keys = page.getByRole('table', { name: 'API keys' }).locator('tbody tr');
    const own = keys.filter({ hasText: 'this session' });
    await own.getByRole('button', { name: 'Rotate on-call phone' }).click();
    await own.getByRole('button', { name: 'Confirm rotate' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Rotated key' });
    await notice.getByText('This session now uses it.', { exact: false }).waitFor();
    const second = await page.getByLabel('Secret').inputValue();
    expect(second).toMatch(/^cad_/);
    expect(second).not.toBe(first);
    // Still signed in: the list answered with the new key, which is now this session's; the old one is revoked.
    await own.filter({ hasText: second.slice(0, 12) }).waitFor();
    await keys
      .filter({ hasText: first.slice(0, 12) })
      .filter({ hasText: 'revoked' })
      .waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await openSection(page, 'Enrollments');
    await openSection(page, 'Settings');
    await page.getByLabel('Signed in as').getByText('on-call phone').waitFor();
    const audit = page.getByRole('table', { name: 'Audit' }).locator('tbody tr');
    await audit.filter({ hasText: 'api_key.rotated' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(first);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('this key is unknown or revoked').waitFor();
    await signIn(page, stack.url('settings'), second);
    await page.getByLabel('Signed in as').getByText('on-call phone').waitFor();
    expect(problems).toEqual([]);
  });

  it('shows the dead letters per topic with their reason and detail, and replays them', async () => {
    const topic = stack.env.topics.enrollmentCommands;
    const dlq = dlqTopic(topic);
    await stack.env.producer.producer.send({
      topic,
      messages: [{ key: contactKey(stack.accountId, 'eve'), value: Buffer.from('{"not":"avro"}') }],
    });
    await stack.env.drained([enrollmentRole]);

    const { page, problems } = await stack.open();
    await signIn(page, stack.url(), stack.apiKey);
    await openSection(page, 'Dead letters');
    const row = page
      .getByRole('table', { name: 'Dead-letter topics' })
      .locator('tbody tr')
      .filter({ hasText: dlq });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([dlq, '1', '1']);
    await row.getByRole('link', { name: dlq }).click();
    const letter = page.locator('li.letter');
    await letter.getByText('undecodable').waitFor();
    expect(await letter.textContent()).toContain(contactKey(stack.accountId, 'eve'));
    await letter.getByText('Value', { exact: true }).click();
    await letter.getByText('{"not":"avro"}').waitFor();
    await screenshot(page, 'dead-letters');

    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('button', { name: 'Confirm replay' }).click();
    await page.getByRole('status').getByText(`Replayed 1 to ${topic}; 0 skipped.`).waitFor();
    // The original is marked replayed; its bytes, still not Avro, were dead-lettered again as a new letter.
    await letter.filter({ has: page.locator('.badge', { hasText: /^replayed$/ }) }).waitFor();
    expect(problems).toEqual([]);
  });
});
