import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CheckProjectAccessDto,
  CreateProjectDto,
  PROJECT_PATTERNS,
  Page,
  ProjectAccessReply,
  ProjectKeyDto,
  ProjectListQueryDto,
  ProjectMemberDto,
  ProjectMemberView,
  ProjectView,
} from '@testpulse/contracts';
import { MessageActor, MessageData } from '@testpulse/messaging';
import { Actor } from '@testpulse/observability';
import { ProjectsService } from './projects.service';

@Controller()
export class ProjectsHandler {
  constructor(private readonly projects: ProjectsService) {}

  @MessagePattern(PROJECT_PATTERNS.create)
  create(@MessageData() input: CreateProjectDto, @MessageActor() actor?: Actor): Promise<ProjectView> {
    return this.projects.create(input, actor);
  }

  @MessagePattern(PROJECT_PATTERNS.list)
  list(@MessageData() query: ProjectListQueryDto): Promise<Page<ProjectView>> {
    return this.projects.list(query);
  }

  @MessagePattern(PROJECT_PATTERNS.get)
  get(@MessageData() input: ProjectKeyDto): Promise<ProjectView> {
    return this.projects.get(input.key);
  }

  @MessagePattern(PROJECT_PATTERNS.delete)
  async delete(@MessageData() input: ProjectKeyDto): Promise<{ deleted: true }> {
    await this.projects.delete(input.key);
    return { deleted: true };
  }

  @MessagePattern(PROJECT_PATTERNS.listMembers)
  members(@MessageData() input: ProjectKeyDto): Promise<ProjectMemberView[]> {
    return this.projects.members(input.key);
  }

  @MessagePattern(PROJECT_PATTERNS.addMember)
  addMember(
    @MessageData() input: ProjectMemberDto,
    @MessageActor() actor?: Actor,
  ): Promise<ProjectMemberView> {
    return this.projects.addMember(input.key, input.username, actor);
  }

  @MessagePattern(PROJECT_PATTERNS.removeMember)
  async removeMember(@MessageData() input: ProjectMemberDto): Promise<{ removed: true }> {
    await this.projects.removeMember(input.key, input.username);
    return { removed: true };
  }

  @MessagePattern(PROJECT_PATTERNS.checkAccess)
  checkAccess(@MessageData() input: CheckProjectAccessDto): Promise<ProjectAccessReply> {
    return this.projects.checkAccess(input);
  }
}
