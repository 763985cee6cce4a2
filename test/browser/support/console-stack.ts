import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiRole } from '../../../apps/api/src/api-app.module';
import { enrollmentRole } from '../../../apps/enrollment/src/enrollment-app.module';
import { stepRunnerRole } from '../../../apps/step-runner/src/step-runner-app.module';
import type { NewAccount } from '../../../libs/domain/src';
import { createAccount, issueApiKey } from '../../support/fixtures';
import { HttpClient } from '../../support/http-client';
import type { TestEnvironment } from '../../support/test-environment';
import { useTestEnvironment } from '../../support/use-test-environment';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'console');

/** The real stack a browser test drives: api (on a real port), enrollment and step-runner, one account. */
export interface ConsoleStack {
  env: TestEnvironment;
  /** The api's HTTP client with the account's admin key (to set the scene, never to stand in for the console). */
  http: HttpClient;
  accountId: string;
  apiKey: string;
  /** http://127.0.0.1:<port>/console/#/<hash> */
  url(hash?: string): string;
  /** A fresh tab (own session storage) at `viewport`; page errors and refused resources are collected. */
  open(viewport?: { width: number; height: number }): Promise<ConsolePage>;
}

export interface ConsolePage {
  page: Page;
  /** Console errors, uncaught exceptions and CSP refusals seen in this tab (a test expects none). */
  problems: string[];
}

/**
 * Starts the stack and Chromium for a test file (beforeAll) and stops them (afterAll). The executable is
 * CHROMIUM_PATH, which jest.config.js sets when it finds one (the browser project exists only then).
 */
export function useConsoleStack(account: Partial<NewAccount> = {}): ConsoleStack {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  // Declared before the environment, so it runs first: the browser's keep-alive connections closed, the api
  // stops at once instead of waiting them out.
  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    await browser?.close();
  });
  const env = useTestEnvironment();
  const state: { http?: HttpClient; accountId?: string; apiKey?: string; base?: string } = {};

  beforeAll(async () => {
    await env.start(enrollmentRole);
    await env.start(stepRunnerRole);
    const api = await env.start(apiRole);
    const port = ((api.getHttpServer() as Server).address() as AddressInfo).port;
    state.base = `http://127.0.0.1:${port}`;
    state.accountId = (await createAccount(env.db, { name: 'Acme Billing', ...account })).id;
    state.apiKey = await issueApiKey(env.db, state.accountId);
    state.http = new HttpClient(api, state.apiKey);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
  });

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} exists from the stack's beforeAll on`);
    return value;
  };

  return {
    env,
    get http() {
      return required(state.http, 'the HTTP client');
    },
    get accountId() {
      return required(state.accountId, 'the account');
    },
    get apiKey() {
      return required(state.apiKey, 'the API key');
    },
    url: (hash = '') => `${required(state.base, 'the api')}/console/${hash ? `#/${hash}` : ''}`,
    async open(viewport = DESKTOP) {
      const context = await required(browser, 'the browser').newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        // A refused request answers an error status on purpose in some tests (a revoked key's 401); the
        // browser logs those as "Failed to load resource", which is the API's answer, not a console fault.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
          problems.push(`console error: ${message.text()}`);
      });
      return { page, problems };
    },
  };
}

/** Signs in through the form; waits for the console's navigation. */
export async function signIn(page: Page, url: string, apiKey: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/** Goes to a section through the navigation, as a user would. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** With CONSOLE_SCREENSHOTS=1, saves the viewport as docs/console/<name>.png (committed, linked from the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** A sequence drafted, published and activated through the API, as an operator would before using the console. */
export async function publishedSequence(
  http: HttpClient,
  name: string,
  definition: Record<string, unknown>,
): Promise<string> {
  const created = await http.post<{ id: string }>('/v1/sequences', { name, definition });
  if (created.status !== 201) throw new Error(`sequence not created: ${JSON.stringify(created.body)}`);
  await http.post(`/v1/sequences/${created.body.id}/publish`);
  await http.post(`/v1/sequences/${created.body.id}/activate`);
  return created.body.id;
}
