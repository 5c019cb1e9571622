import { DataVersions, MemoryCacheBackend, TwoLayerCache } from '@testpulse/cache';
import { PEOPLE_DATA_VERSION } from '@testpulse/contracts';
import { MembershipsRepository } from '../memberships/memberships.repository';
import { UsersRepository } from '../users/users.repository';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';

/** Repositories over sets, counting the keys each lookup asks for. */
function stores() {
  const projects = new Set(['web', 'api']);
  const members = new Set(['web|ann']);
  const asked: string[] = [];
  const projectsRepository = {
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
  return { projects, members, asked, projectsRepository, membershipsRepository };
}

describe('ProjectsService.checkAccess', () => {
  it('keeps the lookups under the people version, and looks up again once it moved', async () => {
    const db = stores();
    const backend = new MemoryCacheBackend();
    const versions = new DataVersions(backend);
    const service = new ProjectsService(
      db.projectsRepository,
      db.membershipsRepository,
      {} as UsersRepository,
      {} as TwoLayerCache,
      versions,
    );
    const check = { keys: ['web', 'api', 'gone'], member: 'ann' };
    expect(await service.checkAccess(check)).toEqual({ unknown: ['gone'], denied: ['api'] });
    expect(await service.checkAccess(check)).toEqual({ unknown: ['gone'], denied: ['api'] });
    expect(db.asked).toEqual([
      'project web',
      'project api',
      'project gone',
      'member web|ann',
      'member api|ann',
    ]);

    // Ann is added to api (the write, then the bump every change makes): the next check sees it.
    db.members.add('api|ann');
    await versions.bump(PEOPLE_DATA_VERSION);
    expect(await service.checkAccess(check)).toEqual({ unknown: ['gone'], denied: [] });
    expect(db.asked).toHaveLength(10);

    // Without the versions, every check looks up.
    backend.down = true;
    await service.checkAccess({ keys: ['web'] });
    await service.checkAccess({ keys: ['web'] });
    expect(db.asked.slice(10)).toEqual(['project web', 'project web']);
  });
});
