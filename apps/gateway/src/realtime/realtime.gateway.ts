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
import {
  DASHBOARD_EVENTS,
  DASHBOARD_PATTERNS,
  ExecutionEvent,
  WatchAccessReply,
  WidgetUpdateView,
} from '@testpulse/contracts';
import { HTTP_STATUS_BY_RPC_CODE, RpcCallError, ServiceClient } from '@testpulse/messaging';
import type { Namespace, Socket } from 'socket.io';
import { viewerOf } from '../dashboards/viewer';
import { ROOM_FORMS, Room, dashboardRoom, parseRoom, projectRoom, runRoom } from './rooms';
import { UpdateCoalescer } from './run-updates.coalescer';

/** Most one run's progress is pushed to clients (bursts of batches are coalesced). */
const PROGRESS_INTERVAL_MS = 100;
/** Rooms one connection may be in (a dashboard's projects and a few runs). */
const MAX_ROOMS = 100;
/** How often dashboard-orchestration is told which dashboards have viewers here. */
const WATCHED_EVERY_MS = 10_000;

export type RunUpdateKind = 'run.started' | 'run.progress' | 'run.finished';

interface SocketState {
  user: AuthUser;
  expiry?: NodeJS.Timeout;
  /** Open dashboards → the projects their widgets read, when joined (all checked then). */
  dashboards: Map<string, Set<string>>;
}

/**
 * Socket.IO namespace `/dashboard`. The access JWT is checked at the handshake (`auth.token`, or an
 * `Authorization: Bearer` header); the connection is closed when the token expires. A client joins
 * rooms (`project:<key>`, `run:<key>:<runId>`), each allowed only to members of the project, and
 * receives the run updates of those rooms; or `dashboard:<id>`, allowed to those who may open the
 * dashboard and belong to every project its widgets read, and receives its widgets' updates
 * (`widget.update`, JSON patches). Every gateway instance hears every run and widget event on the
 * transport and pushes it to its own clients, so clients on any instance get every update.
 */
// The HTTP guards and rate limits are for requests: this gateway checks its token at the handshake
// and each room at joining.
@Public()
@SkipThrottle()
@WebSocketGateway({ namespace: '/dashboard', cors: { origin: true, credentials: false } })
export class RealtimeGateway implements OnGatewayInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimeGateway.name);
  private watchedTimer?: NodeJS.Timeout;
  @WebSocketServer() private namespace!: Namespace;
  private readonly runs = new UpdateCoalescer<{ kind: RunUpdateKind; event: ExecutionEvent }>(
    PROGRESS_INTERVAL_MS,
    (_key, { kind, event }) => this.push(kind, event),
  );

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly access: ProjectAccess,
    private readonly services: ServiceClient,
  ) {}

  afterInit(namespace: Namespace): void {
    this.watchedTimer = setInterval(() => {
      void this.announceWatched();
      void this.recheckMemberships();
    }, WATCHED_EVERY_MS);
    this.watchedTimer.unref();
    namespace.use((socket, next) => {
      try {
        const header = socket.handshake.headers.authorization;
        const auth = socket.handshake.auth as { token?: unknown } | undefined;
        const token = typeof auth?.token === 'string' ? auth.token : bearerOf(header);
        const { user, expiresAt } = this.tokens.verify(token);
        const state: SocketState = { user, dashboards: new Map() };
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
    if (!room) return { ok: false, status: 400, error: `room must be ${ROOM_FORMS}` };
    if (socket.rooms.size > MAX_ROOMS)
      return { ok: false, status: 400, error: `a connection may be in at most ${MAX_ROOMS} rooms` };
    if (room.kind === 'dashboard') return this.joinDashboard(socket, room);
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
    const room = parseRoom(name);
    if (room?.kind === 'dashboard') (socket.data as SocketState).dashboards.delete(room.dashboardId);
    await socket.leave(name);
    return { ok: true, room: name };
  }

  /** A run event from the transport: coalesced per run, the end always delivered. */
  runEvent(kind: RunUpdateKind, event: ExecutionEvent): void {
    const key = `${event.project}\n${event.runId}`;
    if (kind === 'run.finished') this.runs.final(key, { kind, event });
    else this.runs.update(key, { kind, event });
  }

  /**
   * Widget updates from dashboard-orchestration, to the sockets of each dashboard's room that
   * belong to every project the widget reads (checked when they joined).
   */
  widgetUpdates(updates: WidgetUpdateView[]): void {
    if (!this.namespace) return;
    for (const update of updates) {
      const members = this.namespace.adapter.rooms.get(dashboardRoom(update.dashboardId));
      const to: string[] = [];
      for (const id of members ?? []) {
        const socket = this.namespace.sockets.get(id);
        const allowed = (socket?.data as SocketState | undefined)?.dashboards.get(update.dashboardId);
        if (socket && allowed && update.projects.every((p) => allowed.has(p))) to.push(id);
      }
      // One broadcast to the chosen sockets (each socket's id is a room): encoded once, not per socket.
      if (to.length > 0) this.namespace.to(to).emit('widget.update', update);
    }
  }

  onApplicationShutdown(): void {
    this.runs.close();
    clearInterval(this.watchedTimer);
  }

  private async joinDashboard(socket: Socket, room: Extract<Room, { kind: 'dashboard' }>) {
    const state = socket.data as SocketState;
    if (!state.user.role) return { ok: false, status: 403, error: 'dashboards are for users' };
    const viewer = viewerOf(state.user);
    let reply: WatchAccessReply;
    try {
      reply = await this.services.send<WatchAccessReply>(DASHBOARD_PATTERNS.watchAccess, {
        viewer,
        dashboardId: room.dashboardId,
      });
    } catch (error) {
      if (error instanceof RpcCallError && ['PERMISSION_DENIED', 'NOT_FOUND'].includes(error.code))
        return { ok: false, status: HTTP_STATUS_BY_RPC_CODE[error.code], error: error.message };
      this.logger.warn(
        { err: (error as Error).message, room },
        'join: dashboard access could not be checked',
      );
      return { ok: false, status: 503, error: 'dashboard access could not be checked; try again' };
    }
    state.dashboards.set(room.dashboardId, new Set(reply.projects));
    const name = dashboardRoom(room.dashboardId);
    await socket.join(name);
    return { ok: true, room: name, projects: reply.projects };
  }

  /** Tells dashboard-orchestration which dashboards have viewers here, so it keeps them live. */
  private async announceWatched(): Promise<void> {
    if (!this.namespace) return;
    const dashboardIds = [...this.namespace.adapter.rooms.keys()]
      .filter((name) => name.startsWith('dashboard:'))
      .map((name) => name.slice('dashboard:'.length));
    if (dashboardIds.length === 0) return;
    await this.services.emit(DASHBOARD_EVENTS.watched, { dashboardIds }).catch(() => undefined);
  }

  /**
   * Memberships are checked when a room is joined, and again here every few seconds: a client whose
   * user left a project (or whose project was deleted) is taken out of its rooms (`room.left`).
   * The checks are the cached ones of the HTTP guard; when they cannot be made, rooms are kept.
   */
  private async recheckMemberships(): Promise<void> {
    if (!this.namespace) return;
    for (const socket of this.namespace.sockets.values()) {
      const state = socket.data as SocketState | undefined;
      if (!state?.user) continue;
      for (const name of [...socket.rooms]) {
        const room = parseRoom(name);
        if (!room) continue;
        const projects =
          room.kind === 'dashboard' ? [...(state.dashboards.get(room.dashboardId) ?? [])] : [room.project];
        if (projects.length === 0) continue;
        const refusal = await this.access.refusal(state.user, projects).catch(() => undefined);
        if (!refusal) continue;
        if (room.kind === 'dashboard') state.dashboards.delete(room.dashboardId);
        await socket.leave(name);
        socket.emit('room.left', { room: name, status: refusal.status, reason: refusal.message });
      }
    }
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
      ...(event.startedAt ? { startedAt: event.startedAt } : {}),
      at: new Date().toISOString(),
    });
    this.logger.debug({ kind, project: event.project, runId: event.runId }, 'run update pushed');
  }
}
