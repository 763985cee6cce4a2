import { logLevel } from 'kafkajs';
import { kafkajsLevel } from './kafka-client';

describe('kafkajsLevel', () => {
  it('writes the broker answers of a group rebalance or a leader election as information', () => {
    expect(kafkajsLevel(logLevel.ERROR, 'The group is rebalancing, so a rejoin is needed')).toBe('info');
    expect(kafkajsLevel(logLevel.ERROR, 'The group coordinator is not available')).toBe('info');
  });

  it('keeps every other error an error, and other levels as they are', () => {
    expect(kafkajsLevel(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe(
      'error',
    );
    expect(kafkajsLevel(logLevel.ERROR, new Error('The group is rebalancing, so a rejoin is needed'))).toBe(
      'error',
    );
    expect(kafkajsLevel(logLevel.WARN, 'anything')).toBe('warn');
    expect(kafkajsLevel(logLevel.DEBUG, undefined)).toBe('debug');
  });
});
