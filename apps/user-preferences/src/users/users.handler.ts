import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreateUserDto,
  Page,
  PageQueryDto,
  USER_PATTERNS,
  UserView,
  UsernameDto,
  VerifyCredentialsDto,
} from '@testpulse/contracts';
import { MessageActor, MessageData } from '@testpulse/messaging';
import { Actor } from '@testpulse/observability';
import { UsersService } from './users.service';

@Controller()
export class UsersHandler {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(USER_PATTERNS.create)
  create(@MessageData() input: CreateUserDto): Promise<UserView> {
    return this.users.create(input);
  }

  @MessagePattern(USER_PATTERNS.list)
  list(@MessageData() query: PageQueryDto): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @MessagePattern(USER_PATTERNS.get)
  get(@MessageData() input: UsernameDto): Promise<UserView> {
    return this.users.get(input.username);
  }

  @MessagePattern(USER_PATTERNS.delete)
  async delete(@MessageData() input: UsernameDto, @MessageActor() actor?: Actor): Promise<{ deleted: true }> {
    await this.users.delete(input.username, actor);
    return { deleted: true };
  }

  @MessagePattern(USER_PATTERNS.verifyCredentials)
  verifyCredentials(@MessageData() input: VerifyCredentialsDto): Promise<UserView> {
    return this.users.verifyCredentials(input.username, input.password);
  }
}
