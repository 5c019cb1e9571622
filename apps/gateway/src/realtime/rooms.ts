import { PROJECT_KEY_RULE, RUN_ID_RULE } from '@testpulse/contracts';

/** The rooms a client may join: a project's runs, or one run. */
export type Room = { kind: 'project'; project: string } | { kind: 'run'; project: string; runId: string };

export const projectRoom = (project: string): string => `project:${project}`;
export const runRoom = (project: string, runId: string): string => `run:${project}:${runId}`;

/** The room a name stands for, or undefined when it is not one. */
export function parseRoom(name: unknown): Room | undefined {
  if (typeof name !== 'string' || name.length > 300) return undefined;
  const [kind, project, ...rest] = name.split(':');
  if (!project || !PROJECT_KEY_RULE.test(project)) return undefined;
  if (kind === 'project' && rest.length === 0) return { kind, project };
  const runId = rest.join(':');
  if (kind === 'run' && RUN_ID_RULE.test(runId)) return { kind, project, runId };
  return undefined;
}
