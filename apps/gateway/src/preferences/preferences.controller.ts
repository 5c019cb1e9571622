import { Body, Controller, ForbiddenException, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, can } from '@testpulse/auth';
import {
  MostUsedQueryDto,
  PREFERENCE_PATTERNS,
  PreferenceTemplateView,
  PreferencesInputDto,
  PreferencesView,
  USAGE_PATTERNS,
  UsageTopEntryView,
  UsernameDto,
} from '@testpulse/contracts';

const DEFAULT_MOST_USED = 10;
import { ServiceClient } from '@testpulse/messaging';

/**
 * Each user's preferences, kept by user-preferences. A user reads and changes their own; an
 * administrator (`preferences:manage-any`) anyone's. `{userId}` is the username.
 */
@ApiTags('preferences')
@ApiBearerAuth()
@Controller('preferences')
export class PreferencesController {
  constructor(private readonly services: ServiceClient) {}

  // Declared before `:userId`, so that `templates` is not taken for a username.
  @Get('templates')
  @ApiOperation({ summary: 'The preferences each role starts with (what a user never set)' })
  templates(): Promise<PreferenceTemplateView[]> {
    return this.services.send(PREFERENCE_PATTERNS.templates, {});
  }

  @Get(':username')
  @ApiOperation({ summary: "A user's preferences: what they saved over their role's template" })
  get(@Param() { username }: UsernameDto, @CurrentUser() user: AuthUser): Promise<PreferencesView> {
    this.requireSelfOrAdmin(user, username);
    return this.services.send(PREFERENCE_PATTERNS.get, { username });
  }

  @Get(':username/most-used')
  @ApiOperation({
    summary: 'What the user opens most (analyses and reports with their parameters), most used first',
  })
  mostUsed(
    @Param() { username }: UsernameDto,
    @Query() { project, limit }: MostUsedQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<UsageTopEntryView[]> {
    this.requireSelfOrAdmin(user, username);
    return this.services.send(USAGE_PATTERNS.top, {
      user: username,
      ...(project ? { project } : {}),
      limit: limit ?? DEFAULT_MOST_USED,
    });
  }

  @Put(':username')
  @ApiOperation({
    summary: "Replace a user's preferences; a field left out takes the role template's value",
  })
  put(
    @Param() { username }: UsernameDto,
    @Body() preferences: PreferencesInputDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PreferencesView> {
    this.requireSelfOrAdmin(user, username);
    return this.services.send(PREFERENCE_PATTERNS.put, { username, preferences });
  }

  private requireSelfOrAdmin(user: AuthUser, username: string): void {
    if (user.username !== username && !can(user, 'preferences:manage-any'))
      throw new ForbiddenException('you may only read and change your own preferences');
  }
}
