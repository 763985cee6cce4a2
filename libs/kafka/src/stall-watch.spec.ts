import { StallWatch } from './stall-watch';

describe('StallWatch', () => {
  it('says nothing while batches finish and heartbeats arrive within the limit', () => {
    const watch = new StallWatch(60_000, 0);
    watch.enter('t:1', 'handle', 1_000);
    expect(watch.stalled(30_000)).toBeUndefined();
    watch.leave('t:1', 40_000);
    watch.progress(90_000);
    expect(watch.stalled(140_000)).toBeUndefined();
  });

  it('names the batch and the stage that stopped moving', () => {
    const watch = new StallWatch(60_000, 0);
    watch.enter('t:3', 'handle', 1_000);
    watch.enter('t:3', 'commit', 5_000);
    expect(watch.stalled(64_000)).toBeUndefined();
    expect(watch.stalled(66_000)).toBe('batch t:3 stuck in commit for 61 s');
  });

  it('notices a consumer with no batch in flight and no heartbeat for longer than the limit', () => {
    const watch = new StallWatch(60_000, 0);
    watch.enter('t:0', 'decode', 1_000);
    watch.leave('t:0', 2_000);
    expect(watch.stalled(62_000)).toBeUndefined();
    expect(watch.stalled(63_000)).toBe('no batch and no heartbeat for 61 s');
  });
});

describe('StallWatch with a backlog', () => {
  it('calls a heartbeating consumer stalled when messages wait and no batch ended for longer than the limit', () => {
    const watch = new StallWatch(60_000, 0);
    watch.progress(50_000);
    watch.progress(100_000);
    expect(watch.stalled(100_000)).toBeUndefined();
    expect(watch.stalledWithBacklog(59_000, 12)).toBeUndefined();
    expect(watch.stalledWithBacklog(100_000, 0)).toBeUndefined();
    expect(watch.stalledWithBacklog(100_000, 12)).toBe('12 message(s) waiting and no batch for 100 s');
  });

  it('is not idle while a batch is in flight or soon after one ended', () => {
    const watch = new StallWatch(60_000, 0);
    watch.enter('t:0', 'handle', 10_000);
    expect(watch.idle(65_000)).toBe(false);
    watch.leave('t:0', 65_000);
    expect(watch.idle(100_000)).toBe(false);
    expect(watch.idle(126_000)).toBe(true);
  });
});
