import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public, RequirePermissions, can } from '@testpulse/auth';
import {
  ChangeWidgetsDto,
  CreateShareLinkDto,
  DASHBOARD_PATTERNS,
  DashboardIdDto,
  DashboardLinkParamsDto,
  DashboardSelectorDto,
  DashboardSummaryView,
  DashboardView,
  PutLayoutDto,
  ShareDashboardDto,
  ShareLinkView,
  ShareTokenDto,
  UsernameDto,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { GatewayEnv } from '../env';
import { UsageRecorder } from '../usage/usage-recorder';
import { viewerOf } from './viewer';

/**
 * Dashboards, kept and composed by dashboard-orchestration. `{userId}` is the username: a user
 * opens their own default dashboard (an administrator anyone's); a dashboard shared with them by
 * its id. Live updates of an open dashboard come over Socket.IO (room `dashboard:<id>`).
 */
@ApiTags('dashboards')
@ApiBearerAuth()
@Controller()
export class DashboardsController {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    private readonly usage: UsageRecorder,
    @Inject(GatewayEnv) env: GatewayEnv,
  ) {
    this.timeoutMs = env.ANALYTICS_TIMEOUT_MS;
  }

  @Get('dashboards')
  @ApiOperation({ summary: 'Dashboards the caller owns or that are shared with them or their role' })
  @RequirePermissions('dashboards:read')
  list(@CurrentUser() user: AuthUser): Promise<DashboardSummaryView[]> {
    return this.services.send(DASHBOARD_PATTERNS.list, { viewer: viewerOf(user) });
  }

  // Declared before `dashboard/:username`, so that these paths are not taken for usernames.
  @Post('dashboard/widgets')
  @ApiOperation({ summary: 'Add widgets (placed in the first free cells) and remove others' })
  @RequirePermissions('dashboards:write')
  changeWidgets(@Body() change: ChangeWidgetsDto, @CurrentUser() user: AuthUser): Promise<DashboardView> {
    return this.send(DASHBOARD_PATTERNS.changeWidgets, { viewer: viewerOf(user), change });
  }

  @Put('dashboard/layout')
  @ApiOperation({
    summary: 'Place the widgets on the 12-column grid; packed without gaps, with md/sm/xs derived',
  })
  @RequirePermissions('dashboards:write')
  putLayout(@Body() layout: PutLayoutDto, @CurrentUser() user: AuthUser): Promise<DashboardView> {
    return this.send(DASHBOARD_PATTERNS.putLayout, { viewer: viewerOf(user), layout });
  }

  @Get('dashboard/shared/:token')
  @Public()
  @ApiOperation({ summary: 'A dashboard through a read-only share link (no login)' })
  async byLink(@Param() { token }: ShareTokenDto): Promise<DashboardView> {
    return this.send(DASHBOARD_PATTERNS.composeByLink, { token });
  }

  @Put('dashboard/:id/sharing')
  @ApiOperation({ summary: 'Share a dashboard (read-only) with users and roles; replaces the lists' })
  @RequirePermissions('dashboards:share')
  share(
    @Param() { id }: DashboardIdDto,
    @Body() sharing: ShareDashboardDto,
    @CurrentUser() user: AuthUser,
  ): Promise<DashboardView> {
    return this.send(DASHBOARD_PATTERNS.share, { viewer: viewerOf(user), id, sharing });
  }

  @Post('dashboard/:id/links')
  @ApiOperation({ summary: 'Create a read-only share link; its token is shown only in this answer' })
  @RequirePermissions('dashboards:share')
  createLink(
    @Param() { id }: DashboardIdDto,
    @Body() link: CreateShareLinkDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ShareLinkView> {
    return this.services.send(DASHBOARD_PATTERNS.createLink, { viewer: viewerOf(user), id, link });
  }

  @Delete('dashboard/:id/links/:linkId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a share link: it opens nothing from now on' })
  @RequirePermissions('dashboards:share')
  revokeLink(
    @Param() { id, linkId }: DashboardLinkParamsDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ShareLinkView> {
    return this.services.send(DASHBOARD_PATTERNS.revokeLink, { viewer: viewerOf(user), id, linkId });
  }

  @Get('dashboard/:username')
  @ApiOperation({
    summary:
      "A user's dashboard with every widget's data in one answer: their default (created from their role's on first use), or `dashboardId`",
  })
  @RequirePermissions('dashboards:read')
  async compose(
    @Param() { username }: UsernameDto,
    @Query() { dashboardId }: DashboardSelectorDto,
    @CurrentUser() user: AuthUser,
  ): Promise<DashboardView> {
    if (user.username !== username && !can(user, 'preferences:manage-any'))
      throw new ForbiddenException(
        'you may only open your own dashboards (or one shared with you, by its id)',
      );
    const view = await this.send<DashboardView>(DASHBOARD_PATTERNS.compose, {
      viewer: viewerOf(user),
      owner: username,
      ...(dashboardId ? { dashboardId } : {}),
    });
    for (const widget of view.widgets)
      if (!widget.error)
        this.usage.record(user.username, 'dashboard.widgets', widget.config.projects, {
          type: widget.type,
          config: widget.config,
        });
    return view;
  }

  private send<T>(pattern: string, data: unknown): Promise<T> {
    return this.services.send<T>(pattern, data, { timeoutMs: this.timeoutMs });
  }
}
