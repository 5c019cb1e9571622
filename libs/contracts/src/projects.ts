import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from './paging';

/** Owned by user-preferences. */
export const PROJECT_PATTERNS = {
  create: 'user-preferences.projects.create',
  list: 'user-preferences.projects.list',
  get: 'user-preferences.projects.get',
  delete: 'user-preferences.projects.delete',
  listMembers: 'user-preferences.projects.members.list',
  addMember: 'user-preferences.projects.members.add',
  removeMember: 'user-preferences.projects.members.remove',
  /** Answers whether a user may act on the given projects; the gateway's project guard asks it. */
  checkAccess: 'user-preferences.projects.check-access',
} as const;

/** A project key is the id every other API uses: short, URL-safe, stable. */
export const PROJECT_KEY_RULE = /^[a-z0-9][a-z0-9-]{1,39}$/;

export class ProjectKeyDto {
  @ApiProperty({ example: 'checkout', pattern: PROJECT_KEY_RULE.source })
  @IsString()
  @Matches(PROJECT_KEY_RULE, {
    message: 'key must be 2-40 lowercase letters, digits or "-", starting with a letter or digit',
  })
  key: string;
}

export class CreateProjectDto extends ProjectKeyDto {
  @ApiProperty({ example: 'Checkout service' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class ProjectMemberDto extends ProjectKeyDto {
  @ApiProperty()
  @IsString()
  @Matches(/^\S+$/, { message: 'username must not be empty or contain spaces' })
  @MaxLength(63)
  username: string;
}

/**
 * Asks user-preferences which of `keys` exist and, when `member` is given, which of them that user
 * belongs to. The gateway leaves `member` out for roles that may see every project.
 */
export class CheckProjectAccessDto {
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  keys: string[];

  @IsOptional()
  @IsString()
  member?: string;
}

export class ProjectListQueryDto extends PageQueryDto {
  /** Only projects this user belongs to. */
  @IsOptional()
  @IsString()
  member?: string;
}

export interface ProjectAccessReply {
  /** Keys that do not exist (the gateway answers 404 for them). */
  unknown: string[];
  /** Existing keys the user is not a member of (the gateway answers 403 for them). */
  denied: string[];
}

export class ProjectView {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdBy: string;
}

export class ProjectMemberView {
  @ApiProperty() project: string;
  @ApiProperty() username: string;
  @ApiProperty() addedAt: string;
  @ApiProperty() addedBy: string;
}
