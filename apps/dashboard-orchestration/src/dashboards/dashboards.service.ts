import { Injectable } from '@nestjs/common';
import { ProjectAccess } from '@testpulse/auth';
import {
  ChangeWidgetsMessage,
  ComposeByLinkMessage,
  ComposeDashboardMessage,
  CreateShareLinkMessage,
  DASHBOARD_LIMITS,
  DashboardSummaryView,
  DashboardView,
  DashboardViewerDto,
  ListDashboardsMessage,
  PREFERENCE_PATTERNS,
  PROJECT_PATTERNS,
  Page,
  PreferencesView,
  ProjectView,
  PutLayoutMessage,
  RevokeShareLinkMessage,
  ShareDashboardMessage,
  ShareLinkView,
  USER_PATTERNS,
  UserView,
  WatchAccessMessage,
  WatchAccessReply,
  WidgetInputDto,
  WidgetView,
} from '@testpulse/contracts';
import { layoutsForBreakpoints, packLayout, placeNewItem } from '@testpulse/domain';
import { HTTP_STATUS_BY_RPC_CODE, RpcCallError, ServiceClient, rpcError } from '@testpulse/messaging';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { WidgetDataService } from '../widgets/widget-data.service';
import { LatestWidgets } from '../live/latest-widgets';
import { DashboardLocks } from './dashboard-locks';
import { DashboardsRepository } from './dashboards.repository';
import { RecentDashboards, ResolvedDefault } from './recent-dashboards';
import { roleDashboard } from './role-dashboards';
import { Dashboard, StoredShareLink, StoredWidget } from './schemas/dashboard.schema';

/** A user's own dashboard, created from their role's on first use: one id per user, deterministic. */
export function homeDashboardId(username: string): string {
  return `home-${createHash('sha256').update(username).digest('base64url').slice(0, 22)}`;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Widget sizes when the request gives none. */
const DEFAULT_SIZE = { w: 6, h: 4 };

/**
 * Dashboards: who may open and change them, their widgets and layout, sharing and links, and the
 * composition of a dashboard with every widget's data in one answer.
 */
@Injectable()
export class DashboardsService {
  constructor(
    private readonly dashboards: DashboardsRepository,
    private readonly widgets: WidgetDataService,
    private readonly access: ProjectAccess,
    private readonly services: ServiceClient,
    private readonly latest: LatestWidgets,
    private readonly locks: DashboardLocks,
    private readonly recentDashboards: RecentDashboards,
  ) {}

  async compose({ viewer, owner, dashboardId }: ComposeDashboardMessage): Promise<DashboardView> {
    const dashboard = dashboardId
      ? await this.viewable(viewer, dashboardId, true)
      : await this.recentDashboards.defaultOf(owner, homeDashboardId(owner), () =>
          this.resolveDefault(owner),
        );
    return this.composeFor(dashboard, viewer, isEditor(viewer, dashboard));
  }

  async list({ viewer }: ListDashboardsMessage): Promise<DashboardSummaryView[]> {
    const { owned, shared } = await this.dashboards.visibleTo(viewer.username, viewer.role);
    const summary = (d: Dashboard, access: DashboardSummaryView['access']): DashboardSummaryView => ({
      id: d._id,
      name: d.name,
      owner: d.owner,
      access,
      widgets: d.widgets.length,
      updatedAt: d.updatedAt.toISOString(),
    });
    return [...owned.map((d) => summary(d, 'owner')), ...shared.map((d) => summary(d, 'shared'))].sort(
      (a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id),
    );
  }

  async changeWidgets({ viewer, change }: ChangeWidgetsMessage): Promise<DashboardView> {
    if (!change.add?.length && !change.remove?.length)
      throw rpcError('INVALID_ARGUMENT', 'give widgets to add or ids of widgets to remove');
    return this.editing(viewer, change.dashboardId, async (dashboard) => {
      const unknown = (change.remove ?? []).filter((id) => !dashboard.widgets.some((w) => w.id === id));
      if (unknown.length)
        throw rpcError('NOT_FOUND', `no widget '${unknown[0]}' on dashboard '${dashboard._id}'`);
      const removed = new Set(change.remove ?? []);
      const widgets = dashboard.widgets.filter((w) => !removed.has(w.id));
      if (widgets.length + (change.add?.length ?? 0) > DASHBOARD_LIMITS.widgets)
        throw rpcError('INVALID_ARGUMENT', `a dashboard holds at most ${DASHBOARD_LIMITS.widgets} widgets`);
      await this.requireProjects(
        viewer,
        (change.add ?? []).flatMap((w) => w.config.projects),
      );
      let layout = packLayout(dashboard.layout.filter((item) => !removed.has(item.id)));
      for (const input of change.add ?? []) {
        const widget = storedWidget(input);
        widgets.push(widget);
        layout = placeNewItem(layout, widget.id, input.w ?? DEFAULT_SIZE.w, input.h ?? DEFAULT_SIZE.h);
      }
      const updatedAt = await this.write(dashboard, { widgets, layout });
      return this.composeFor({ ...dashboard, widgets, layout, updatedAt }, viewer, true);
    });
  }

  async putLayout({ viewer, layout }: PutLayoutMessage): Promise<DashboardView> {
    return this.editing(viewer, layout.dashboardId, async (dashboard) => {
      const ids = new Set(dashboard.widgets.map((w) => w.id));
      const named = new Set<string>();
      for (const item of layout.items) {
        if (!ids.has(item.id))
          throw rpcError('NOT_FOUND', `no widget '${item.id}' on dashboard '${dashboard._id}'`);
        if (named.has(item.id)) throw rpcError('INVALID_ARGUMENT', `widget '${item.id}' is placed twice`);
        named.add(item.id);
      }
      // Widgets the request leaves out keep their place, after those it moves.
      const kept = dashboard.layout
        .filter((item) => !named.has(item.id))
        .map((item) => ({ ...item, y: item.y + 10_000 }));
      const packed = packLayout([...layout.items.map(({ id, x, y, w, h }) => ({ id, x, y, w, h })), ...kept]);
      const updatedAt = await this.write(dashboard, { layout: packed });
      return this.composeFor({ ...dashboard, layout: packed, updatedAt }, viewer, true);
    });
  }

  async share({ viewer, id, sharing }: ShareDashboardMessage): Promise<DashboardView> {
    return this.editing(viewer, id, async (dashboard) => {
      const users = [...new Set(sharing.users)].filter((u) => u !== dashboard.owner);
      const missing = await this.missingUsers(users);
      if (missing.length) throw rpcError('NOT_FOUND', `user '${missing[0]}' does not exist`);
      const next = { users, roles: [...new Set(sharing.roles)] };
      const updatedAt = await this.write(dashboard, { sharing: next });
      return this.composeFor({ ...dashboard, sharing: next, updatedAt }, viewer, true);
    });
  }

  async createLink({ viewer, id, link }: CreateShareLinkMessage): Promise<ShareLinkView> {
    return this.editing(viewer, id, async (dashboard) => {
      if (dashboard.links.filter((l) => !l.revokedAt).length >= DASHBOARD_LIMITS.links)
        throw rpcError(
          'CONFLICT',
          `a dashboard has at most ${DASHBOARD_LIMITS.links} live links: revoke one first`,
        );
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      const stored: StoredShareLink = {
        id: randomUUID().replace(/-/g, '').slice(0, 20),
        tokenHash: hashToken(token),
        createdAt: now,
        createdBy: viewer.username,
        ...(link.expiresInDays
          ? { expiresAt: new Date(now.getTime() + link.expiresInDays * 86_400_000) }
          : {}),
      };
      await this.dashboards.addLink(dashboard._id, stored);
      this.recentDashboards.forget(dashboard._id);
      return { ...linkView(stored), token };
    });
  }

  async revokeLink({ viewer, id, linkId }: RevokeShareLinkMessage): Promise<ShareLinkView> {
    return this.editing(viewer, id, async (dashboard) => {
      const link = dashboard.links.find((l) => l.id === linkId);
      if (!link) throw rpcError('NOT_FOUND', `no link '${linkId}' on dashboard '${id}'`);
      const at = link.revokedAt ?? new Date();
      if (!link.revokedAt) await this.dashboards.revokeLink(dashboard, linkId, at);
      this.recentDashboards.forget(dashboard._id);
      return linkView({ ...link, revokedAt: at });
    });
  }

  /** A read-only view through a link: the widgets the owner could see, without the sharing settings. */
  async composeByLink({ token }: ComposeByLinkMessage): Promise<DashboardView> {
    const link = await this.dashboards.findLink(hashToken(token));
    const now = Date.now();
    if (!link || link.revokedAt || (link.expiresAt && link.expiresAt.getTime() <= now))
      throw rpcError('NOT_FOUND', 'this share link does not exist, was revoked or has expired');
    const dashboard = await this.dashboards.find(link.dashboardId);
    if (!dashboard) throw rpcError('NOT_FOUND', 'the shared dashboard no longer exists');
    const owner = await this.services
      .send<UserView>(USER_PATTERNS.get, { username: dashboard.owner })
      .catch(() => {
        throw rpcError('NOT_FOUND', 'the owner of the shared dashboard no longer exists');
      });
    const view = await this.composeFor(
      dashboard,
      { username: owner.username, role: owner.role, allProjects: owner.role === 'admin' },
      false,
    );
    return { ...view, sharing: { users: [], roles: [], links: [] } };
  }

  /** Live viewers must be allowed the dashboard and every project its widgets read. */
  async watchAccess({ viewer, dashboardId }: WatchAccessMessage): Promise<WatchAccessReply> {
    const dashboard = await this.viewable(viewer, dashboardId);
    const projects = [...new Set(dashboard.widgets.flatMap((w) => w.config.projects))].sort();
    await this.requireProjects(viewer, projects);
    return { projects };
  }

  // --- access -------------------------------------------------------------------------------

  /** `recently`: a read may use what this instance read in the last 2 s (not for changes). */
  private async viewable(viewer: DashboardViewerDto, id: string, recently = false): Promise<Dashboard> {
    const found = recently ? await this.recentDashboards.doc(id) : await this.dashboards.find(id);
    const dashboard =
      found ?? (id === homeDashboardId(viewer.username) ? await this.defaultOf(viewer.username) : null);
    if (!dashboard) throw rpcError('NOT_FOUND', `dashboard '${id}' does not exist`);
    if (!canView(viewer, dashboard))
      throw rpcError('PERMISSION_DENIED', `dashboard '${id}' is not shared with you`);
    return dashboard;
  }

  private async editable(viewer: DashboardViewerDto, id: string | undefined): Promise<Dashboard> {
    const dashboard = id ? await this.viewable(viewer, id) : await this.defaultOf(viewer.username, true);
    if (!isEditor(viewer, dashboard))
      throw rpcError('PERMISSION_DENIED', `only the owner of dashboard '${dashboard._id}' may change it`);
    return dashboard;
  }

  /** A change of a dashboard the viewer may edit, one at a time per dashboard (read, change, write). */
  private editing<T>(
    viewer: DashboardViewerDto,
    id: string | undefined,
    work: (dashboard: Dashboard) => Promise<T>,
  ): Promise<T> {
    return this.locks.withDashboard(id ?? homeDashboardId(viewer.username), async () =>
      work(await this.editable(viewer, id)),
    );
  }

  /**
   * Writes a change of the dashboard as read; 409 when another change came in between (a second
   * guard behind the lock, for a lease that expired under a very slow write).
   */
  private async write(
    dashboard: Dashboard,
    fields: Partial<Pick<Dashboard, 'widgets' | 'layout' | 'sharing'>>,
  ): Promise<Date> {
    const updatedAt = await this.dashboards.update(dashboard, fields);
    this.recentDashboards.forget(dashboard._id);
    if (!updatedAt)
      throw rpcError(
        'CONFLICT',
        `dashboard '${dashboard._id}' was changed meanwhile: read it again and retry`,
      );
    return updatedAt;
  }

  /** Refuses projects that do not exist or that the viewer does not belong to. */
  private async requireProjects(viewer: DashboardViewerDto, projects: string[]): Promise<void> {
    if (projects.length === 0) return;
    const reply = await this.access.reply(
      [...new Set(projects)],
      viewer.allProjects ? undefined : viewer.username,
    );
    if (reply.unknown.length) throw rpcError('NOT_FOUND', `project '${reply.unknown[0]}' does not exist`);
    if (reply.denied.length)
      throw rpcError('PERMISSION_DENIED', `you are not a member of project '${reply.denied[0]}'`);
  }

  private async missingUsers(usernames: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const username of usernames) {
      await this.services.send(USER_PATTERNS.get, { username }).catch(() => missing.push(username));
    }
    return missing;
  }

  // --- the default dashboard ------------------------------------------------------------------

  /**
   * The user's default dashboard: the one their preferences name (when they may still open it),
   * else their home dashboard, created from their role's over their projects on first use. A user
   * without projects gets the role's dashboard with no widgets, not stored (the next read after they
   * join a project creates it). For editing, always the home dashboard (the one they own).
   */
  private async defaultOf(owner: string, forEditing = false): Promise<Dashboard> {
    return (await this.resolveDefault(owner, forEditing)).dashboard;
  }

  /** The default dashboard, and whether this call created it (stored the home dashboard). */
  private async resolveDefault(owner: string, forEditing = false): Promise<ResolvedDefault> {
    const preferences = await this.services
      .send<PreferencesView>(PREFERENCE_PATTERNS.get, { username: owner })
      .catch((error: unknown) => {
        // An admin opening the dashboard of a user who does not exist: a 404, not a failure of ours.
        if (error instanceof RpcCallError && error.code === 'NOT_FOUND')
          throw rpcError('NOT_FOUND', `user '${owner}' does not exist`);
        throw error;
      });
    if (preferences.defaultDashboard && !forEditing) {
      const chosen = await this.dashboards.find(preferences.defaultDashboard);
      const self = { username: owner, role: preferences.role, allProjects: preferences.role === 'admin' };
      if (chosen && canView(self, chosen)) return { dashboard: chosen, created: false };
    }
    const id = homeDashboardId(owner);
    const home = await this.dashboards.find(id);
    if (home) return { dashboard: home, created: false };
    const projects = preferences.defaultFilters.projects?.length
      ? preferences.defaultFilters.projects
      : await this.memberships(owner);
    const template = roleDashboard(preferences.role, projects.slice(0, DASHBOARD_LIMITS.projectsPerWidget));
    const now = new Date();
    const widgets = projects.length ? template.widgets.map(storedWidget) : [];
    let layout: Dashboard['layout'] = [];
    widgets.forEach((widget, i) => {
      layout = placeNewItem(
        layout,
        widget.id,
        template.widgets[i].w ?? DEFAULT_SIZE.w,
        template.widgets[i].h ?? DEFAULT_SIZE.h,
      );
    });
    const dashboard: Dashboard = {
      _id: id,
      name: template.name,
      owner,
      createdFrom: preferences.role,
      widgets,
      layout,
      sharing: { users: [], roles: [] },
      links: [],
      createdAt: now,
      updatedAt: now,
    };
    // Stored once it shows something, or when its owner starts arranging it.
    return widgets.length || forEditing
      ? this.dashboards.createIfMissing(dashboard)
      : { dashboard, created: false };
  }

  private async memberships(username: string): Promise<string[]> {
    const page = await this.services.send<Page<ProjectView>>(PROJECT_PATTERNS.list, {
      member: username,
      page: 1,
      pageSize: DASHBOARD_LIMITS.projectsPerWidget,
    });
    return page.items.map((p) => p.key);
  }

  // --- composition ----------------------------------------------------------------------------

  private async composeFor(
    dashboard: Dashboard,
    viewer: DashboardViewerDto,
    editable: boolean,
  ): Promise<DashboardView> {
    const projects = [...new Set(dashboard.widgets.flatMap((w) => w.config.projects))];
    const reply = projects.length
      ? await this.access.reply(projects, viewer.allProjects ? undefined : viewer.username)
      : { unknown: [], denied: [] };
    const widgets = await Promise.all(dashboard.widgets.map((widget) => this.widgetView(widget, reply)));
    return {
      id: dashboard._id,
      name: dashboard.name,
      owner: dashboard.owner,
      ...(dashboard.createdFrom ? { createdFrom: dashboard.createdFrom } : {}),
      editable,
      widgets,
      layouts: layoutsForBreakpoints(dashboard.layout),
      sharing: {
        users: dashboard.sharing.users,
        roles: dashboard.sharing.roles,
        links: editable ? dashboard.links.map(linkView) : [],
      },
      updatedAt: dashboard.updatedAt.toISOString(),
      composedAt: new Date().toISOString(),
    };
  }

  private async widgetView(
    widget: StoredWidget,
    access: { unknown: string[]; denied: string[] },
  ): Promise<WidgetView> {
    const base = { id: widget.id, type: widget.type, title: widget.title, config: widget.config };
    const unknown = widget.config.projects.find((p) => access.unknown.includes(p));
    if (unknown) return { ...base, error: { status: 404, message: `project '${unknown}' does not exist` } };
    const denied = widget.config.projects.find((p) => access.denied.includes(p));
    if (denied)
      return { ...base, error: { status: 403, message: `you are not a member of project '${denied}'` } };
    const started = performance.now();
    try {
      const { data, version, cached } = await this.widgets.read(widget.type, widget.config);
      this.latest.remember(widget.type, widget.config, version, data);
      return { ...base, version, data, ms: cached ? 0 : Math.round(performance.now() - started) };
    } catch (error) {
      const { status, message } = widgetError(error);
      return { ...base, error: { status, message } };
    }
  }
}

function canView(viewer: DashboardViewerDto, dashboard: Dashboard): boolean {
  return (
    dashboard.owner === viewer.username ||
    viewer.role === 'admin' ||
    dashboard.sharing.users.includes(viewer.username) ||
    dashboard.sharing.roles.includes(viewer.role)
  );
}

function isEditor(viewer: DashboardViewerDto, dashboard: Dashboard): boolean {
  return dashboard.owner === viewer.username || viewer.role === 'admin';
}

function storedWidget(input: WidgetInputDto): StoredWidget {
  return {
    id: randomUUID().replace(/-/g, '').slice(0, 16),
    type: input.type,
    title: input.title ?? defaultTitle(input),
    config: JSON.parse(JSON.stringify(input.config)) as StoredWidget['config'],
  };
}

const TITLES: Record<WidgetInputDto['type'], string> = {
  'kpi-tiles': 'Key figures',
  'pass-rate-trend': 'Pass rate',
  'duration-trend': 'Durations (p50, p95)',
  'flaky-tests': 'Flaky tests',
  'failure-clusters': 'Failure clusters',
  'slowest-tests': 'Slowest tests and regressions',
  'recent-runs': 'Recent runs',
  'active-alerts': 'Active alerts',
};

function defaultTitle(input: WidgetInputDto): string {
  const days = input.config.days ? `, ${input.config.days} days` : '';
  return `${TITLES[input.type]}${days}`;
}

function linkView(link: StoredShareLink): ShareLinkView {
  return {
    id: link.id,
    createdAt: link.createdAt.toISOString(),
    createdBy: link.createdBy,
    ...(link.expiresAt ? { expiresAt: link.expiresAt.toISOString() } : {}),
    ...(link.revokedAt ? { revokedAt: link.revokedAt.toISOString() } : {}),
  };
}

/** A widget that cannot be computed says why: the status its service gave, else 503. */
function widgetError(error: unknown): { status: number; message: string } {
  if (error instanceof RpcCallError)
    return { status: HTTP_STATUS_BY_RPC_CODE[error.code], message: error.message };
  return { status: 503, message: 'the widget could not be computed' };
}
