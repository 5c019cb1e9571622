import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ServiceEnv } from '@testpulse/config';

export class UserPreferencesEnv extends ServiceEnv {
  override HEALTH_PORT = 3108;

  /** The first admin, created at boot when no admin exists. Development has documented defaults. */
  @IsOptional()
  @IsString()
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  @MaxLength(256)
  ADMIN_PASSWORD?: string;
}

export const DEVELOPMENT_ADMIN = { username: 'admin', password: 'testpulse-admin' } as const;
