import { parseRoom } from './rooms';
import { UpdateCoalescer } from './run-updates.coalescer';

describe('parseRoom', () => {
  it('takes project and run rooms, run ids with colons included', () => {
    expect(parseRoom('project:shop')).toEqual({ kind: 'project', project: 'shop' });
    expect(parseRoom('run:shop:ci:1234')).toEqual({ kind: 'run', project: 'shop', runId: 'ci:1234' });
    expect(parseRoom('dashboard:home-AbC_9')).toEqual({ kind: 'dashboard', dashboardId: 'home-AbC_9' });
  });

  it('refuses anything else', () => {
    for (const name of [
      'shop',
      'project:',
      'project:Shop!',
      'project:shop:x',
      'run:shop:',
      'user:x',
      'dashboard:',
      'dashboard:a:b',
      'dashboard:no spaces',
      42,
      null,
    ])
      expect(parseRoom(name)).toBeUndefined();
  });
});

describe('UpdateCoalescer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the first update at once, then at most one per interval, always the last', () => {
    const sent: number[] = [];
    const coalescer = new UpdateCoalescer<number>(100, (_key, value) => sent.push(value));
    coalescer.update('a', 1);
    coalescer.update('a', 2);
    coalescer.update('a', 3);
    expect(sent).toEqual([1]);
    jest.advanceTimersByTime(100);
    expect(sent).toEqual([1, 3]);
    jest.advanceTimersByTime(100);
    coalescer.update('a', 4);
    expect(sent).toEqual([1, 3, 4]);
  });

  it('sends a final update at once and drops what was pending before it', () => {
    const sent: Array<[string, string]> = [];
    const coalescer = new UpdateCoalescer<string>(100, (key, value) => sent.push([key, value]));
    coalescer.update('run', 'progress 1');
    coalescer.update('run', 'progress 2');
    coalescer.update('other', 'progress');
    coalescer.final('run', 'finished');
    jest.advanceTimersByTime(500);
    expect(sent).toEqual([
      ['run', 'progress 1'],
      ['other', 'progress'],
      ['run', 'finished'],
    ]);
  });
});
