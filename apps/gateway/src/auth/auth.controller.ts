import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@testpulse/auth';
import { USER_PATTERNS, UserView, VerifyCredentialsDto } from '@testpulse/contracts';
import { RpcCallError, ServiceClient } from '@testpulse/messaging';
import { AuthRateLimited } from '../http/rate-limits';
import { MeView, RefreshDto, TokenPairView } from './dto/token.dto';
import { TokenService } from './token.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly services: ServiceClient,
    private readonly tokens: TokenService,
  ) {}

  @Post('login')
  @Public()
  @AuthRateLimited()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'Wrong username or password' })
  async login(@Body() credentials: VerifyCredentialsDto): Promise<TokenPairView> {
    const user = await this.services.send<UserView>(USER_PATTERNS.verifyCredentials, credentials);
    return this.tokens.issue(user.username, user.role);
  }

  @Post('refresh')
  @Public()
  @AuthRateLimited()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView })
  async refresh(@Body() body: RefreshDto): Promise<TokenPairView> {
    const username = this.tokens.verifyRefresh(body.refreshToken);
    // The account is read again, so a deleted user cannot refresh and a changed role takes effect.
    const user = await this.services
      .send<UserView>(USER_PATTERNS.get, { username })
      .catch((error: unknown) => {
        if (error instanceof RpcCallError && error.code === 'NOT_FOUND') {
          throw new RpcCallError('UNAUTHENTICATED', 'invalid refresh token', error.pattern);
        }
        throw error;
      });
    return this.tokens.issue(user.username, user.role);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeView })
  me(@CurrentUser() user: AuthUser): MeView {
    return { username: user.username, role: user.role, permissions: user.permissions };
  }
}
