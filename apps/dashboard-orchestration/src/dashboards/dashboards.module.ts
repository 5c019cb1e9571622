import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProjectAccess } from '@testpulse/auth';
import { LatestWidgets } from '../live/latest-widgets';
import { LiveWidgetsService } from '../live/live-widgets.service';
import { LiveRuns } from '../widgets/live-runs';
import { WidgetDataService } from '../widgets/widget-data.service';
import { DashboardLocks } from './dashboard-locks';
import { DashboardsHandler } from './dashboards.handler';
import { DashboardsRepository } from './dashboards.repository';
import { DashboardsService } from './dashboards.service';
import { RecentDashboards } from './recent-dashboards';
import { Dashboard, DashboardLink, DashboardLinkSchema, DashboardSchema } from './schemas/dashboard.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Dashboard.name, schema: DashboardSchema },
      { name: DashboardLink.name, schema: DashboardLinkSchema },
    ]),
  ],
  controllers: [DashboardsHandler],
  providers: [
    DashboardsRepository,
    DashboardLocks,
    RecentDashboards,
    DashboardsService,
    ProjectAccess,
    WidgetDataService,
    LiveRuns,
    LatestWidgets,
    LiveWidgetsService,
  ],
})
export class DashboardsModule {}
