import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, ProjectScoped, RequirePermissions, hasPermission } from '@testpulse/auth';
import {
  CreateProjectDto,
  PROJECT_PATTERNS,
  Page,
  PageQueryDto,
  ProjectKeyDto,
  ProjectMemberDto,
  ProjectMemberView,
  ProjectView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @RequirePermissions('projects:manage')
  @ApiCreatedResponse({ type: ProjectView })
  create(@Body() input: CreateProjectDto): Promise<ProjectView> {
    return this.services.send(PROJECT_PATTERNS.create, input);
  }

  /** Admins see every project; everyone else the projects they belong to. */
  @Get()
  @RequirePermissions('projects:read')
  list(@Query() query: PageQueryDto, @CurrentUser() user: AuthUser): Promise<Page<ProjectView>> {
    const member = hasPermission(user.role, 'projects:all') ? undefined : user.username;
    return this.services.send(PROJECT_PATTERNS.list, { ...query, ...(member ? { member } : {}) });
  }

  @Get(':key')
  @RequirePermissions('projects:read')
  @ProjectScoped({ in: 'params', field: 'key' })
  @ApiOkResponse({ type: ProjectView })
  get(@Param() params: ProjectKeyDto): Promise<ProjectView> {
    return this.services.send(PROJECT_PATTERNS.get, params);
  }

  @Delete(':key')
  @RequirePermissions('projects:manage')
  @HttpCode(204)
  async delete(@Param() params: ProjectKeyDto): Promise<void> {
    await this.services.send(PROJECT_PATTERNS.delete, params);
  }

  @Get(':key/members')
  @RequirePermissions('projects:read')
  @ProjectScoped({ in: 'params', field: 'key' })
  @ApiOkResponse({ type: [ProjectMemberView] })
  members(@Param() params: ProjectKeyDto): Promise<ProjectMemberView[]> {
    return this.services.send(PROJECT_PATTERNS.listMembers, params);
  }

  @Put(':key/members/:username')
  @RequirePermissions('projects:manage')
  @ApiOkResponse({ type: ProjectMemberView })
  addMember(@Param() params: ProjectMemberDto): Promise<ProjectMemberView> {
    return this.services.send(PROJECT_PATTERNS.addMember, params);
  }

  @Delete(':key/members/:username')
  @RequirePermissions('projects:manage')
  @HttpCode(204)
  async removeMember(@Param() params: ProjectMemberDto): Promise<void> {
    await this.services.send(PROJECT_PATTERNS.removeMember, params);
  }
}
