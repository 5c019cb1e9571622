import { Logger, OnApplicationShutdown, UnauthorizedException } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { SkipThrottle } from '@nestjs/throttler';
import { AccessTokenVerifier, AuthUser, ProjectAccess, Public, bearerOf } from '@testpulse/auth';
import { ExecutionEvent } from '@testpulse/contracts';
import type { Namespace, Socket } from 'socket.io';
import { projectRoom, parseRoom, runRoom } from './rooms';
import { UpdateCoalescer } from './run-updates.coalescer';

/** Most one run's progress is pushed to clients (bursts of batches are coalesced). */
const PROGRESS_INTERVAL_MS = 100;
/** Rooms one connection may be in (a dashboard's projects and a few runs). */
const MAX_ROOMS = 100;

export type RunUpdateKind = 'run.started' | 'run.progress' | 'run.finished';

interface SocketState {
  user: AuthUser;
  expiry?: NodeJS.Timeout;
}

/**
 * Socket.IO namespace `/dashboard`. The access JWT is checked at the handshake (`auth.token`, or an
 * `Authorization: Bearer` header); the connection is closed when the token expires. A client joins
 * rooms (`project:<key>`, `run:<key>:<runId>`), each allowed only to members of the project, and
 * receives the run updates of those rooms. Every gateway instance hears every run event on the
 * transport and pushes it to its own clients, so clients on any instance get every update.
 */
// The HTTP guards and rate limits are for requests: this gateway checks its token at the handshake
// and each room at joining.
@Public()
@SkipThrottle()
@WebSocketGateway({ namespace: '/dashboard', cors: { origin: true, credentials: false } })
export class RealtimeGateway implements OnGatewayInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimeGateway.name);
  @WebSocketServer() private namespace!: Namespace;
  private readonly runs = new UpdateCoalescer<{ kind: RunUpdateKind; event: ExecutionEvent }>(
    PROGRESS_INTERVAL_MS,
    (_key, { kind, event }) => this.push(kind, event),
  );

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly access: ProjectAccess,
  ) {}

  afterInit(namespace: Namespace): void {
    namespace.use((socket, next) => {
      try {
        const header = socket.handshake.headers.authorization;
        const auth = socket.handshake.auth as { token?: unknown } | undefined;
        const token = typeof auth?.token === 'string' ? auth.token : bearerOf(header);
        const { user, expiresAt } = this.tokens.verify(token);
        const state: SocketState = { user };
        const left = expiresAt - Date.now();
        if (left > 0 && left < 2 ** 31) {
          state.expiry = setTimeout(() => {
            socket.emit('session.expired', { message: 'access token expired' });
            socket.disconnect(true);
          }, left);
          state.expiry.unref();
        }
        socket.data = state;
        socket.once('disconnect', () => clearTimeout(state.expiry));
        next();
      } catch (error) {
        const message = error instanceof UnauthorizedException ? error.message : 'authentication failed';
        next(new Error(message));
      }
    });
  }

  /** `join` `{room}` → `{ok: true, room}`, or `{ok: false, status, error}` naming why not. */
  @SubscribeMessage('join')
  async join(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    const name = (body as { room?: unknown } | null)?.room;
    const room = parseRoom(name);
    if (!room)
      return {
        ok: false,
        status: 400,
        error: 'room must be project:<projectKey> or run:<projectKey>:<runId>',
      };
    if (socket.rooms.size > MAX_ROOMS)
      return { ok: false, status: 400, error: `a connection may be in at most ${MAX_ROOMS} rooms` };
    const { user } = socket.data as SocketState;
    let refusal;
    try {
      refusal = await this.access.refusal(user, [room.project]);
    } catch (error) {
      // user-preferences down or late: the client is told, and may try again.
      this.logger.warn({ err: (error as Error).message, room: name }, 'join: access could not be checked');
      return { ok: false, status: 503, error: 'project access could not be checked; try again' };
    }
    if (refusal) return { ok: false, status: refusal.status, error: refusal.message };
    await socket.join(name as string);
    return { ok: true, room: name };
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    const name = (body as { room?: unknown } | null)?.room;
    if (typeof name !== 'string') return { ok: false, status: 400, error: 'room must be a string' };
    await socket.leave(name);
    return { ok: true, room: name };
  }

  /** A run event from the transport: coalesced per run, the end always delivered. */
  runEvent(kind: RunUpdateKind, event: ExecutionEvent): void {
    const key = `${event.project}\n${event.runId}`;
    if (kind === 'run.finished') this.runs.final(key, { kind, event });
    else this.runs.update(key, { kind, event });
  }

  onApplicationShutdown(): void {
    this.runs.close();
  }

  private push(kind: RunUpdateKind, event: ExecutionEvent): void {
    if (!this.namespace) return;
    // One emit to both rooms: a client in both gets it once.
    this.namespace.to([projectRoom(event.project), runRoom(event.project, event.runId)]).emit(kind, {
      project: event.project,
      runId: event.runId,
      status: event.status,
      summary: event.summary,
      ...(event.branch ? { branch: event.branch } : {}),
      at: new Date().toISOString(),
    });
    this.logger.debug({ kind, project: event.project, runId: event.runId }, 'run update pushed');
  }
}
