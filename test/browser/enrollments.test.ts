import type { Page } from 'playwright-core';
import { waitUntil } from '../support/wait-until';
import {
  PHONE,
  openSection,
  publishedSequence,
  screenshot,
  signIn,
  useConsoleStack,
} from './support/console-stack';

const onboarding = {
  targetType: 'contact',
  steps: [
    { delayMinutes: 0, channel: 'email', content: 'Welcome aboard!' },
    { delayMinutes: 1440, channel: 'whatsapp', content: 'How is it going?' },
    { delayMinutes: 4320, channel: 'sms', content: 'Need a hand?' },
  ],
  exitRules: ['replied'],
};

const timeline = (page: Page) => page.getByRole('list', { name: 'History' }).locator('li');

describe('the console: enrollments (Chromium on the real api, enrollment app and step-runner)', () => {
  const stack = useConsoleStack();
  let sequenceId: string;

  beforeAll(async () => {
    sequenceId = await publishedSequence(stack.http, 'Onboarding', onboarding);
  });

  it('signs in, enrolls one contact, finds it in the list, opens its history, pauses and resumes it', async () => {
    const { page, problems } = await stack.open();
    await page.goto(stack.url());
    await page.getByRole('heading', { name: 'Cadence console' }).waitFor();
    await screenshot(page, 'sign-in');
    await signIn(page, stack.url(), stack.apiKey);

    await openSection(page, 'Enroll');
    const one = page.getByRole('form', { name: 'One contact' });
    await one.getByLabel('Sequence').selectOption(sequenceId);
    await one.getByLabel('Contact id').fill('ana');
    await one.getByRole('button', { name: 'Enroll' }).click();
    await one.getByRole('status').getByText('Enrolled: the sequence started for this contact.').waitFor();

    await openSection(page, 'Enrollments');
    await page.getByLabel('Contact id').fill('ana');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/contactId=ana/);
    const rows = page.getByRole('table', { name: 'Enrollments' }).locator('tbody tr');
    const listed = await waitUntil(
      'the filtered list',
      () => rows.allTextContents(),
      (texts) => texts.length === 1,
    );
    expect(listed[0]).toMatch(/ana.*Onboarding.*active.*manual.*v1/);

    await rows.first().getByRole('link', { name: 'ana' }).click();
    await page.getByRole('heading', { name: /ana/ }).waitFor();
    await page.getByText('v1', { exact: true }).waitFor();
    await timeline(page).filter({ hasText: 'enrolled:manual' }).waitFor();
    // The step-runner sends the first step at once: the next one is due in a day.
    while (!(await timeline(page).filter({ hasText: 'step_sent' }).count())) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(200);
    }
    await page.getByText(/Step 2 of 3 \(whatsapp\), due/).waitFor();
    expect(await timeline(page).first().textContent()).toContain('userId');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').getByText('Paused.').waitFor();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await timeline(page).filter({ hasText: 'paused' }).last().waitFor();
    await screenshot(page, 'enrollment');

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').getByText('Resumed.').waitFor();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    const states = await timeline(page).allTextContents();
    expect(states.some((line) => /paused\s*→\s*active/.test(line))).toBe(true);
    expect(problems).toEqual([]);
  });

  it('bulk-enrolls 1,000 contacts from a CSV file and shows the progress reach 100% with results by reason', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url('enroll'), stack.apiKey);
    const many = page.getByRole('form', { name: 'Many contacts' });
    await many.getByLabel('Sequence').selectOption(sequenceId);
    // ana is enrolled (and live) already: her line is decided a duplicate.
    const ids = ['ana', ...Array.from({ length: 999 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`)];
    await many.getByLabel('CSV file of contact ids').setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`contactId,name\n${ids.map((id) => `${id},Contact ${id}`).join('\n')}\n`),
    });
    await many.getByText('1,000 contact ids from contacts.csv (column "contactId")').waitFor();
    await many.getByRole('button', { name: 'Enroll 1,000 contacts' }).click();

    const percent = many.locator('output.progress-percent');
    await percent.waitFor();
    const seen: string[] = [];
    for (let text = ''; text !== '100%'; await page.waitForTimeout(50)) {
      text = (await percent.textContent()) ?? '';
      if (seen[seen.length - 1] !== text) seen.push(text);
    }
    expect(seen[seen.length - 1]).toBe('100%');
    await many.getByText('Done: 1,000 of 1,000 decided').waitFor();
    expect(await many.locator('progress').getAttribute('value')).toBe('1000');
    const reasons = many.getByRole('list', { name: 'Results by reason' }).locator('li');
    await reasons.filter({ hasText: 'enrolled' }).filter({ hasText: '999' }).waitFor();
    await reasons.filter({ hasText: 'duplicate' }).filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'enroll');
    await reasons.filter({ hasText: 'duplicate' }).locator('summary').click();
    await reasons.filter({ hasText: 'duplicate' }).getByText('ana', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('looks up why a duplicate was not enrolled, by contact and sequence and by request id', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url('enroll'), stack.apiKey);
    const one = page.getByRole('form', { name: 'One contact' });
    await one.getByLabel('Sequence').selectOption(sequenceId);
    await one.getByLabel('Contact id').fill('ana');
    await one.getByRole('button', { name: 'Enroll' }).click();
    const answer = one.getByRole('status');
    await answer.getByText('duplicate').waitFor();
    await answer.getByText(/already has an active or paused enrollment/).waitFor();
    await answer.getByRole('link', { name: 'Open the live enrollment' }).waitFor();

    await openSection(page, 'Why');
    const byContact = page.getByRole('form', { name: 'By contact and sequence' });
    await byContact.getByLabel('Contact id').fill('ana');
    await byContact.getByLabel('Sequence').selectOption(sequenceId);
    await byContact.getByRole('button', { name: 'Look up' }).click();
    // Newest first: this duplicate, the bulk line's duplicate, then the enrollment.
    const decisions = page.locator('article.decision');
    await page.getByText('3 decisions, newest first.').waitFor();
    expect(await decisions.nth(0).locator('.badge').textContent()).toBe('duplicate');
    expect(await decisions.nth(1).locator('.badge').textContent()).toBe('duplicate');
    expect(await decisions.nth(2).locator('.badge').textContent()).toBe('enrolled');
    expect(await decisions.nth(1).textContent()).toContain('bulk');
    await screenshot(page, 'why');

    const requestId = await decisions.nth(0).locator('dd code').first().textContent();
    const byRequest = page.getByRole('form', { name: 'By request' });
    await byRequest.getByLabel('Request id').fill(requestId ?? '');
    await byRequest.getByRole('button', { name: 'Look up' }).click();
    await page.waitForURL(/requestId=/);
    await waitUntil(
      'the one decision of the request',
      () => decisions.count(),
      (count) => count === 1,
    );
    await decisions.first().getByText('Live enrollment').waitFor();
    await decisions
      .first()
      .getByRole('link', { name: /^[0-9a-f-]{36}$/ })
      .click();
    await page.getByRole('heading', { name: /ana/ }).waitFor();

    await page.goto(stack.url('why?requestId=no-such-request'));
    await page
      .getByRole('alert')
      .getByText(/no request no-such-request in this account/)
      .waitFor();
    // The event and conversation lookups answer from what the engine recorded: here, nothing yet.
    const byEvent = page.getByRole('form', { name: 'By event' });
    await byEvent.getByLabel('Event id').fill('evt-never-sent');
    await byEvent.getByRole('button', { name: 'Look up' }).click();
    await page
      .getByRole('alert')
      .getByText(/no trace of event evt-never-sent/)
      .waitFor();
    const byConversation = page.getByRole('form', { name: 'By conversation' });
    await byConversation.getByLabel('Conversation id').fill('conv-quiet');
    await byConversation.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('This conversation is not tracked (no activity read for it).').waitFor();
    expect(problems).toEqual([]);
  });

  it('pages the list with the cursor, filters by state and method, and fits 390 pixels', async () => {
    const { page, problems } = await stack.open();
    await signIn(page, stack.url('enrollments'), stack.apiKey);
    const table = page.getByRole('table', { name: 'Enrollments' });
    await table.locator('tbody tr').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(25);
    const firstPage = await table.locator('tbody tr').first().textContent();
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('Page 2').waitFor();
    expect(await table.locator('tbody tr').first().textContent()).not.toBe(firstPage);
    await page.getByRole('button', { name: '← Newer' }).click();
    await page.getByText('Page 1').waitFor();
    await screenshot(page, 'enrollments');

    await page.getByLabel('Method').selectOption('manual');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/method=manual/);
    const manual = await waitUntil(
      'the manual enrollments',
      () => table.locator('tbody tr').allTextContents(),
      (texts) => texts.length === 1,
    );
    expect(manual[0]).toContain('ana');
    await page.getByLabel('State').selectOption('completed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No enrollment matches these filters.').waitFor();

    const phone = await stack.open(PHONE);
    await signIn(phone.page, stack.url('enrollments'), stack.apiKey);
    await phone.page.getByRole('table', { name: 'Enrollments' }).locator('tbody tr').first().waitFor();
    const overflow = await phone.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBe(0);
    await screenshot(phone.page, 'enrollments-390');
    // Every other page fits too (tables turn into a card per row).
    const first = phone.page.getByRole('table', { name: 'Enrollments' }).locator('tbody tr a').first();
    const [firstContact, firstLink] = [await first.textContent(), await first.getAttribute('href')];
    for (const [hash, heading] of [
      [firstLink?.replace(/^#\//, '') ?? '', firstContact ?? ''],
      ['enroll', 'Enroll'],
      [`why?contactId=ana&sequenceId=${sequenceId}`, 'Why'],
      ['sequences', 'Sequences'],
      [`sequences/${sequenceId}`, 'Onboarding'],
      ['settings', 'Settings'],
      ['dead-letters', 'Dead letters'],
    ]) {
      await phone.page.goto(stack.url(hash));
      await phone.page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await phone.page.locator('.state-loading').first().waitFor({ state: 'detached' });
      const wider = await phone.page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect({ hash, wider }).toEqual({ hash, wider: 0 });
    }
    expect([...problems, ...phone.problems]).toEqual([]);
  });

  it('is reachable by keyboard: a skip link, then each section of the navigation', async () => {
    const { page } = await stack.open();
    await signIn(page, stack.url('enrollments'), stack.apiKey);
    await page.getByRole('table', { name: 'Enrollments' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    const focused: unknown[] = [];
    for (let i = 0; i < 8 && !focused.includes('Sequences'); i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate('document.activeElement.textContent'));
    }
    expect(focused).toContain('Sequences');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sequences' }).waitFor();
    expect(page.url()).toContain('#/sequences');
  });
});
