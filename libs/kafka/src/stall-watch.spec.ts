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
