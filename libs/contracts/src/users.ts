import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from './roles';

/** Owned by user-preferences. */
export const USER_PATTERNS = {
  create: 'user-preferences.users.create',
  list: 'user-preferences.users.list',
  get: 'user-preferences.users.get',
  delete: 'user-preferences.users.delete',
  verifyCredentials: 'user-preferences.users.verify-credentials',
} as const;

export const USERNAME_RULE = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export class UsernameDto {
  @ApiProperty({ example: 'jane.doe', pattern: USERNAME_RULE.source })
  @IsString()
  @Matches(USERNAME_RULE, {
    message:
      'username must be 2-63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  username: string;
}

export class CreateUserDto extends UsernameDto {
  @ApiProperty({ minLength: 8, maxLength: 256 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class VerifyCredentialsDto {
  @ApiProperty()
  @IsString()
  @MaxLength(256)
  username: string;

  @ApiProperty()
  @IsString()
  @MaxLength(256)
  password: string;
}

export class UserView {
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() createdAt: string;
}
