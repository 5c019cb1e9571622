import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { lastValueFrom, Observable } from 'rxjs';
import { RpcErrorFilter } from './message-handling';
import { RpcCallError, rpcError } from './rpc-error';

const rpcHost = (data: unknown = {}) =>
  ({ getType: () => 'rpc', switchToRpc: () => ({ getData: () => data }) }) as unknown as ArgumentsHost;

async function payloadOf(exception: unknown): Promise<unknown> {
  const result = new RpcErrorFilter().catch(exception, rpcHost()) as Observable<never>;
  return lastValueFrom(result).catch((error: unknown) => error);
}

describe('RpcErrorFilter', () => {
  it('passes on a call into another service that found it down or too slow', async () => {
    const late = new RpcCallError('DEADLINE_EXCEEDED', 'x.y did not answer within 5000 ms', 'x.y');
    expect(await payloadOf(late)).toEqual(
      expect.objectContaining({ code: 'DEADLINE_EXCEEDED', message: 'x.y did not answer within 5000 ms' }),
    );
    const down = new RpcCallError('UNAVAILABLE', 'no service is listening for x.y', 'x.y');
    expect(await payloadOf(down)).toEqual(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });

  it('hides other errors of calls, and unknown errors, as internal', async () => {
    const refused = new RpcCallError('INVALID_ARGUMENT', 'bad field', 'x.y');
    expect(await payloadOf(refused)).toEqual(
      expect.objectContaining({ code: 'INTERNAL', message: 'internal error' }),
    );
    expect(await payloadOf(new Error('secret detail'))).toEqual(
      expect.objectContaining({ code: 'INTERNAL', message: 'internal error' }),
    );
  });

  it('keeps the code of errors the handler meant', async () => {
    expect(await payloadOf(rpcError('CONFLICT', 'taken'))).toEqual(
      expect.objectContaining({ code: 'CONFLICT', message: 'taken' }),
    );
    expect(await payloadOf(new NotFoundException('nothing here'))).toEqual(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'nothing here' }),
    );
  });
});
