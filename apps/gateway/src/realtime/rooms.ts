import { DASHBOARD_ID_RULE, PROJECT_KEY_RULE, RUN_ID_RULE } from '@testpulse/contracts';

/** The rooms a client may join: a project's runs, one run, or an open dashboard's widgets. */
export type Room =
  | { kind: 'project'; project: string }
  | { kind: 'run'; project: string; runId: string }
  | { kind: 'dashboard'; dashboardId: string };

export const projectRoom = (project: string): string => `project:${project}`;
export const runRoom = (project: string, runId: string): string => `run:${project}:${runId}`;
export const dashboardRoom = (dashboardId: string): string => `dashboard:${dashboardId}`;

export const ROOM_FORMS = 'project:<projectKey>, run:<projectKey>:<runId> or dashboard:<dashboardId>';

/** The room a name stands for, or undefined when it is not one. */
export function parseRoom(name: unknown): Room | undefined {
  if (typeof name !== 'string' || name.length > 300) return undefined;
  const [kind, first, ...rest] = name.split(':');
  if (kind === 'dashboard')
    return first && rest.length === 0 && DASHBOARD_ID_RULE.test(first)
      ? { kind, dashboardId: first }
      : undefined;
  if (!first || !PROJECT_KEY_RULE.test(first)) return undefined;
  if (kind === 'project' && rest.length === 0) return { kind, project: first };
  const runId = rest.join(':');
  if (kind === 'run' && RUN_ID_RULE.test(runId)) return { kind, project: first, runId };
  return undefined;
}
