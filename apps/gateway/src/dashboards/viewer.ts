import { ForbiddenException } from '@nestjs/common';
import { AuthUser, can } from '@testpulse/auth';
import { DashboardViewerDto } from '@testpulse/contracts';

/** Who asks, for dashboard-orchestration (users only: ingest tokens have no dashboard permission). */
export function viewerOf(user: AuthUser): DashboardViewerDto {
  if (!user.role) throw new ForbiddenException('dashboards are for users, not ingest tokens');
  return { username: user.username, role: user.role, allProjects: can(user, 'projects:all') };
}
