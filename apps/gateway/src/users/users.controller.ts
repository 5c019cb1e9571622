import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@testpulse/auth';
import {
  CreateUserDto,
  Page,
  PageQueryDto,
  USER_PATTERNS,
  UserView,
  UsernameDto,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@RequirePermissions('users:manage')
export class UsersController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @ApiCreatedResponse({ type: UserView })
  create(@Body() input: CreateUserDto): Promise<UserView> {
    return this.services.send(USER_PATTERNS.create, input);
  }

  @Get()
  list(@Query() query: PageQueryDto): Promise<Page<UserView>> {
    return this.services.send(USER_PATTERNS.list, query);
  }

  @Get(':username')
  @ApiOkResponse({ type: UserView })
  get(@Param() params: UsernameDto): Promise<UserView> {
    return this.services.send(USER_PATTERNS.get, params);
  }

  @Delete(':username')
  @HttpCode(204)
  async delete(@Param() params: UsernameDto): Promise<void> {
    await this.services.send(USER_PATTERNS.delete, params);
  }
}
