import { DataVersions, MemoryCacheBackend, TwoLayerCache } from '@testpulse/cache';
import { PEOPLE_DATA_VERSION } from '@testpulse/contracts';
import { MembershipsRepository } from '../memberships/memberships.repository';
import { UsersRepository } from '../users/users.repository';
import { ProjectRecord, ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

const record = (key: string): ProjectRecord => ({
  key,
  name: key.toUpperCase(),
  createdAt: new Date('2026-11-01T00:00:00Z'),
  createdBy: 'admin',
});

/** Repositories over sets, recording what each read asks for. */
function stores() {
  const projects = new Set(['web', 'api']);
  const members = new Set(['web|ann']);
  const asked: string[] = [];
  const projectsRepository = {
    all: async () => {
      asked.push('every project');
      return [...projects].sort().map(record);
    },
    existingKeys: async (keys: string[]) => {
      asked.push(...keys.map((k) => `project ${k}`));
      return new Set(keys.filter((k) => projects.has(k)));
    },
  } as unknown as ProjectsRepository;
  const membershipsRepository = {
    projectsOf: async (username: string, keys: string[]) => {
      asked.push(...keys.map((k) => `member ${k}|${username}`));
      return new Set(keys.filter((k) => members.has(`${k}|${username}`)));
    },
  } as unknown as MembershipsRepository;
  const backend = new MemoryCacheBackend();
  const versions = new DataVersions(backend);
  const service = new ProjectsService(
    projectsRepository,
    membershipsRepository,
    {} as UsersRepository,
    {} as TwoLayerCache,
    versions,
  );
  return { projects, members, asked, backend, versions, service };
}

describe('ProjectsService.checkAccess', () => {
  it('keeps the projects and the lookups under the people version, and reads again once it moved', async () => {
    const db = stores();
    const check = { keys: ['web', 'api', 'gone'], member: 'ann' };
    expect(await db.service.checkAccess(check)).toEqual({ unknown: ['gone'], denied: ['api'] });
    expect(await db.service.checkAccess(check)).toEqual({ unknown: ['gone'], denied: ['api'] });
    expect(db.asked).toEqual(['every project', 'member web|ann', 'member api|ann']);

    // Ann is added to api (the write, then the bump every change makes): the next check sees it.
    db.members.add('api|ann');
    await db.versions.bump(PEOPLE_DATA_VERSION);
    expect(await db.service.checkAccess(check)).toEqual({ unknown: ['gone'], denied: [] });
    expect(db.asked).toHaveLength(6);

    // Without the versions, every check looks up.
    db.backend.down = true;
    await db.service.checkAccess({ keys: ['web'] });
    await db.service.checkAccess({ keys: ['web'] });
    expect(db.asked.slice(6)).toEqual(['project web', 'project web']);
  });

  it('reads every project once for concurrent checks', async () => {
    const db = stores();
    await Promise.all(
      ['ann', 'bob', 'cid'].map((member) => db.service.checkAccess({ keys: ['web'], member })),
    );
    expect(db.asked.filter((a) => a === 'every project')).toHaveLength(1);
  });
});

describe('ProjectsService.list', () => {
  it("lists a member's projects from the lookups access checks then use", async () => {
    const db = stores();
    db.projects.add('docs');
    db.members.add('docs|ann');
    const page = await db.service.list({ member: 'ann', page: 1, pageSize: 1 });
    expect(page).toEqual({
      items: [{ key: 'docs', name: 'DOCS', createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'admin' }],
      page: 1,
      pageSize: 1,
      total: 2,
    });
    expect((await db.service.list({ member: 'ann', page: 2, pageSize: 1 })).items.map((p) => p.key)).toEqual([
      'web',
    ]);
    expect((await db.service.list({})).items.map((p) => p.key)).toEqual(['api', 'docs', 'web']);
    expect(await db.service.checkAccess({ keys: ['api', 'web'], member: 'ann' })).toEqual({
      unknown: [],
      denied: ['api'],
    });
    expect(db.asked).toEqual(['every project', 'member api|ann', 'member docs|ann', 'member web|ann']);
  });
});
