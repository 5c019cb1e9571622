import { DataVersions, MemoryCacheBackend } from '@testpulse/cache';
import { Model } from 'mongoose';
import { AlertsRepository, alertsVersion } from './alerts.repository';
import { Alert } from './schemas/alert.schema';

const alert = (id: string, project: string, state: Alert['state'], raisedAt: string): Alert => ({
  _id: id,
  project,
  rule: 'pass-rate',
  severity: 'warning',
  state,
  title: `alert ${id}`,
  raisedAt: new Date(raisedAt),
});

/** A model double over an in-memory collection that counts the lookups by project. */
function modelOf(stored: Alert[]) {
  const lookups: string[] = [];
  const model = {
    find: (filter: { project: string }) => ({
      lean: () => ({
        exec: async () => {
          lookups.push(filter.project);
          return stored.filter((a) => a.project === filter.project).map((a) => ({ ...a }));
        },
      }),
    }),
  } as unknown as Model<Alert>;
  return { model, lookups };
}

describe('AlertsRepository', () => {
  it('keeps unresolved alerts per project until the project’s version moves', async () => {
    const stored = [
      alert('a1', 'web', 'open', '2026-11-28T10:00:00Z'),
      alert('a2', 'web', 'resolved', '2026-11-28T11:00:00Z'),
      alert('a3', 'api', 'acknowledged', '2026-11-28T12:00:00Z'),
    ];
    const { model, lookups } = modelOf(stored);
    const backend = new MemoryCacheBackend();
    const versions = new DataVersions(backend);
    const repository = new AlertsRepository(model, versions);

    const first = await repository.active(['web', 'api'], 10);
    expect(first.counts).toMatchObject({ open: 1, acknowledged: 1 });
    expect(first.alerts.map((a) => a.id)).toEqual(['a3', 'a1']);
    await repository.active(['web', 'api'], 10);
    expect(lookups).toEqual(['web', 'api']);

    // A write of one of web's alerts, then its bump: web is read again, api is not.
    stored[0].state = 'resolved';
    await versions.bump(alertsVersion('web'));
    const after = await repository.active(['web', 'api'], 10);
    expect(after.counts).toMatchObject({ open: 0, acknowledged: 1 });
    expect(lookups).toEqual(['web', 'api', 'web']);

    // Without the versions, every read goes to the database.
    backend.down = true;
    await repository.active(['api'], 10);
    await repository.active(['api'], 10);
    expect(lookups).toEqual(['web', 'api', 'web', 'api', 'api']);
  });

  it('reads a project once for concurrent readers, and again after a failed read', async () => {
    const stored = [alert('a1', 'web', 'open', '2026-11-28T10:00:00Z')];
    const { model, lookups } = modelOf(stored);
    let fail = true;
    const failing = {
      find: (filter: { project: string }) => ({
        lean: () => ({
          exec: async () => {
            if (fail) {
              fail = false;
              lookups.push(`${filter.project} (failed)`);
              throw new Error('connection reset');
            }
            return (model.find(filter) as unknown as { lean: () => { exec: () => Promise<Alert[]> } })
              .lean()
              .exec();
          },
        }),
      }),
    } as unknown as Model<Alert>;
    const repository = new AlertsRepository(failing, new DataVersions(new MemoryCacheBackend()));

    await expect(repository.active(['web'], 10)).rejects.toThrow('connection reset');
    const answers = await Promise.all([1, 2, 3].map(() => repository.active(['web'], 10)));
    expect(answers.map((a) => a.counts.open)).toEqual([1, 1, 1]);
    expect(lookups).toEqual(['web (failed)', 'web']);
  });
});
