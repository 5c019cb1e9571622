import { ApiProperty } from '@nestjs/swagger';
import { PROJECT_KEY_RULE, RUN_ID_RULE } from '@testpulse/contracts';
import { IsString, Matches } from 'class-validator';

export class RunIdParamDto {
  @ApiProperty()
  @IsString()
  @Matches(RUN_ID_RULE, { message: 'runId must be 1-200 letters, digits, ".", "_", ":" or "-"' })
  runId: string;
}

export class ProjectQueryDto {
  @ApiProperty()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;
}
