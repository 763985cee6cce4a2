import { loadConfig } from '@cadence/config';
import { createLogger } from '@cadence/observability';
import type { FireDueStepsUseCase } from './fire-due-steps.usecase';
import { StepTimerWorker } from './step-timer.worker';

/** A pass that finishes only when the test says so, counting how many passes ran. */
function controlledPasses() {
  let finish: (() => void) | undefined;
  const state = { passes: 0 };
  const fireDueSteps = {
    execute: () =>
      new Promise<number>((resolve) => {
        state.passes++;
        finish = () => resolve(0);
      }),
  } as unknown as FireDueStepsUseCase;
  return { fireDueSteps, state, finishPass: () => finish?.() };
}

function worker(fireDueSteps: FireDueStepsUseCase): StepTimerWorker {
  // An hour between polls: a stop that waited for the next poll would never end within the test.
  const config = loadConfig({ STEP_RUNNER_POLL_MS: '3600000', STEP_RUNNER_FAST_PATH: 'false' });
  return new StepTimerWorker(fireDueSteps, config, createLogger('step-runner', 'silent'));
}

describe('StepTimerWorker.stop', () => {
  it('ends once the pass in flight ends, without waiting out the poll interval', async () => {
    const { fireDueSteps, state, finishPass } = controlledPasses();
    const timer = worker(fireDueSteps);
    await timer.start();
    expect(state.passes).toBe(1);

    const stopped = timer.stop(); // during the pass: there is no wait yet to cut short
    let ended = false;
    void stopped.then(() => (ended = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false); // the pass in flight is finished first

    finishPass();
    await stopped;
    expect(state.passes).toBe(1); // and no pass started after the stop
  });

  it('ends a wait in progress at once', async () => {
    const { fireDueSteps, state, finishPass } = controlledPasses();
    const timer = worker(fireDueSteps);
    await timer.start();
    finishPass();
    await new Promise((resolve) => setImmediate(resolve)); // the loop is now in its hour-long wait
    await timer.stop();
    expect(state.passes).toBe(1);
  });
});
