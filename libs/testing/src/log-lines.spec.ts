import { LineSplitter, TailBuffer, formatTail } from './log-lines';

describe('LineSplitter', () => {
  it('joins lines cut between chunks and keeps the unterminated rest for flush', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}\r\n\nlast')).toEqual(['{"b":2}', '']);
    expect(splitter.flush()).toEqual(['last']);
    expect(splitter.flush()).toEqual([]);
  });
});

describe('TailBuffer', () => {
  it('keeps only the last lines, oldest first', () => {
    const tail = new TailBuffer(3);
    for (const line of ['1', '2', '3', '4', '5']) tail.push(line);
    expect(tail.lines()).toEqual(['3', '4', '5']);
    expect(tail.lines(2)).toEqual(['4', '5']);
    expect(tail.lines(0)).toEqual([]);
    tail.clear();
    expect(tail.lines()).toEqual([]);
  });

  it('needs a positive capacity', () => {
    expect(() => new TailBuffer(0)).toThrow(/positive integer/);
  });
});

describe('formatTail', () => {
  it('names the app and its log file', () => {
    expect(formatTail('gateway', ['a', 'b'], '/logs/gateway.log')).toBe(
      '--- gateway: last 2 log line(s) (full log: /logs/gateway.log) ---\na\nb',
    );
    expect(formatTail('gateway', [], '/logs/gateway.log')).toMatch(/\(no output\)$/);
  });
});
