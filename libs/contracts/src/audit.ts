import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from './paging';
import { ROLES } from './roles';

export const AUDIT_PATTERNS = {
  list: 'user-preferences.audit.list',
} as const;

/** Fire-and-forget: the gateway emits one per mutating request; user-preferences stores it. */
export const AUDIT_EVENTS = {
  recorded: 'audit.recorded',
} as const;

export class AuditRecordDto {
  @ApiProperty({ nullable: true }) @IsOptional() @IsString() @MaxLength(63) username: string | null;
  @ApiProperty({ nullable: true }) @IsOptional() @IsIn(ROLES) role: string | null;
  @ApiProperty() @IsString() @MaxLength(10) method: string;
  @ApiProperty() @IsString() @MaxLength(300) route: string;
  @ApiProperty() @IsString() @MaxLength(2048) path: string;
  @ApiProperty() @Type(() => Number) @IsInt() status: number;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(0) durationMs: number;
  @ApiProperty() @IsString() @MaxLength(100) correlationId: string;
  @ApiProperty() @IsString() at: string;
}

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(63) username?: string;
}
