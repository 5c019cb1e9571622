import { describeJsonError } from './body-error.handler';

describe('describeJsonError', () => {
  it('turns a position into line and column', () => {
    const body = '{\n  "a": 1,\n  "b" 2 }';
    let message = '';
    try {
      JSON.parse(body);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(describeJsonError(message, body)).toMatch(/^line 3, column 7: Unexpected number/);
  });

  it('keeps messages without a position as they are', () => {
    expect(describeJsonError('Unexpected end of JSON input', '{')).toBe('Unexpected end of JSON input');
  });
});
