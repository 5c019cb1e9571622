import { Injectable } from '@nestjs/common';
import { DataVersions, TwoLayerCache } from '@testpulse/cache';
import {
  ACCESS_CACHE_NAMESPACE,
  PEOPLE_DATA_VERSION,
  CheckProjectAccessDto,
  CreateProjectDto,
  DEFAULT_PAGE_SIZE,
  Page,
  ProjectAccessReply,
  ProjectListQueryDto,
  ProjectMemberView,
  ProjectView,
} from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { Actor } from '@testpulse/observability';
import { LRUCache } from 'lru-cache';
import { MembershipRecord, MembershipsRepository } from '../memberships/memberships.repository';
import { UsersRepository } from '../users/users.repository';
import { ProjectRecord, ProjectsRepository } from './projects.repository';

const toView = (project: ProjectRecord): ProjectView => ({
  key: project.key,
  name: project.name,
  createdAt: project.createdAt.toISOString(),
  createdBy: project.createdBy,
});

const toMemberView = (member: MembershipRecord): ProjectMemberView => ({
  project: member.project,
  username: member.username,
  addedAt: member.addedAt.toISOString(),
  addedBy: member.addedBy,
});

/** Answers of `_id` lookups kept for access checks (a key and a boolean each). */
const LOOKUPS_KEPT = 100_000;
/** And for at most a minute: the bound on a change whose bump was lost with its process. */
const LOOKUPS_TTL_MS = 60_000;
/**
 * A member's projects are looked up one `_id` per project (kept, and shared with access checks) up
 * to this many projects; above, their memberships are read by username (a collection scan in FerretDB).
 */
const MEMBER_LOOKUPS_MAX = 100;

@Injectable()
export class ProjectsService {
  /**
   * Whether a project, or a user's membership of one, exists: kept under the people version (read
   * before the lookups), which every change of projects, memberships and users bumps. Every data
   * request checks access, and after `POST /cache/invalidate` every user's check is asked again.
   */
  private readonly lookups = new LRUCache<string, { version: number; found: boolean }>({
    max: LOOKUPS_KEPT,
    ttl: LOOKUPS_TTL_MS,
  });
  /** Every project, read once per people version (few, small, asked by every listing and access check). */
  private everyProject?: { version: number; at: number; records: Promise<ProjectRecord[]> };

  constructor(
    private readonly projects: ProjectsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    private readonly cache: TwoLayerCache,
    private readonly versions: DataVersions,
  ) {}

  /** The gateway keeps access answers: every change of projects or memberships makes them unreachable. */
  private async accessChanged(): Promise<void> {
    await this.cache.invalidate({ namespace: ACCESS_CACHE_NAMESPACE }, { retry: true });
    await this.versions.bump(PEOPLE_DATA_VERSION);
  }

  async create(input: CreateProjectDto, actor: Actor | undefined): Promise<ProjectView> {
    const project: ProjectRecord = {
      key: input.key,
      name: input.name,
      createdAt: new Date(),
      createdBy: actor?.username ?? 'system',
    };
    if (!(await this.projects.insert(project))) {
      throw rpcError('CONFLICT', `project '${input.key}' already exists`);
    }
    await this.accessChanged();
    return toView(project);
  }

  async get(key: string): Promise<ProjectView> {
    return toView(await this.require(key));
  }

  async list(query: ProjectListQueryDto): Promise<Page<ProjectView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const skip = (page - 1) * pageSize;
    const version = await this.peopleVersion();
    if (version === undefined) {
      const onlyKeys = query.member ? await this.memberships.allProjectsOf(query.member) : undefined;
      const { items, total } = await this.projects.page(skip, pageSize, onlyKeys);
      return { items: items.map(toView), page, pageSize, total };
    }
    let records = await this.allProjects(version);
    const member = query.member;
    if (member) {
      const keys = records.map((p) => p.key);
      const memberOf =
        keys.length <= MEMBER_LOOKUPS_MAX
          ? await this.found(version, `member|${member}`, keys, (missing) =>
              this.memberships.projectsOf(member, missing),
            )
          : new Set(await this.memberships.allProjectsOf(member));
      records = records.filter((p) => memberOf.has(p.key));
    }
    return { items: records.slice(skip, skip + pageSize).map(toView), page, pageSize, total: records.length };
  }

  async delete(key: string): Promise<void> {
    await this.require(key);
    await this.memberships.removeAllOfProject(key);
    await this.projects.delete(key);
    await this.accessChanged();
  }

  async members(key: string): Promise<ProjectMemberView[]> {
    await this.require(key);
    return (await this.memberships.membersOf(key)).map(toMemberView);
  }

  async addMember(key: string, username: string, actor: Actor | undefined): Promise<ProjectMemberView> {
    await this.require(key);
    if (!(await this.users.findByUsername(username))) {
      throw rpcError('NOT_FOUND', `user '${username}' does not exist`);
    }
    const member = await this.memberships.add({
      project: key,
      username,
      addedAt: new Date(),
      addedBy: actor?.username ?? 'system',
    });
    await this.accessChanged();
    return toMemberView(member);
  }

  async removeMember(key: string, username: string): Promise<void> {
    await this.require(key);
    if (!(await this.memberships.remove(key, username))) {
      throw rpcError('NOT_FOUND', `user '${username}' is not a member of project '${key}'`);
    }
    await this.accessChanged();
  }

  async checkAccess(input: CheckProjectAccessDto): Promise<ProjectAccessReply> {
    const keys = [...new Set(input.keys)];
    const version = await this.peopleVersion();
    let existing: Set<string>;
    if (version === undefined) existing = await this.projects.existingKeys(keys);
    else {
      const all = new Set((await this.allProjects(version)).map((p) => p.key));
      existing = new Set(keys.filter((key) => all.has(key)));
    }
    const unknown = keys.filter((key) => !existing.has(key));
    const member = input.member;
    if (!member) return { unknown, denied: [] };
    const memberOf = await this.found(version, `member|${member}`, [...existing], (missing) =>
      this.memberships.projectsOf(member, missing),
    );
    return { unknown, denied: [...existing].filter((key) => !memberOf.has(key)) };
  }

  private async peopleVersion(): Promise<number | undefined> {
    return (await this.versions.current([PEOPLE_DATA_VERSION]))?.[0];
  }

  /** Every project by key, read once under `version` (for a minute at most) for concurrent callers too. */
  private allProjects(version: number): Promise<ProjectRecord[]> {
    const kept = this.everyProject;
    if (kept?.version === version && Date.now() - kept.at < LOOKUPS_TTL_MS) return kept.records;
    const records = this.projects.all();
    const entry = { version, at: Date.now(), records };
    this.everyProject = entry;
    records.catch(() => {
      if (this.everyProject === entry) this.everyProject = undefined;
    });
    return records;
  }

  /** Which of `keys` `lookup` finds, from the answers kept under `version` where there are some. */
  private async found(
    version: number | undefined,
    kind: string,
    keys: string[],
    lookup: (keys: string[]) => Promise<Set<string>>,
  ): Promise<Set<string>> {
    if (version === undefined) return lookup(keys);
    const found = new Set<string>();
    const missing: string[] = [];
    for (const key of keys) {
      const kept = this.lookups.get(`${kind}|${key}`);
      if (kept?.version !== version) missing.push(key);
      else if (kept.found) found.add(key);
    }
    if (missing.length === 0) return found;
    const fresh = await lookup(missing);
    for (const key of missing) {
      this.lookups.set(`${kind}|${key}`, { version, found: fresh.has(key) });
      if (fresh.has(key)) found.add(key);
    }
    return found;
  }

  private async require(key: string): Promise<ProjectRecord> {
    const project = await this.projects.findByKey(key);
    if (!project) throw rpcError('NOT_FOUND', `project '${key}' does not exist`);
    return project;
  }
}
