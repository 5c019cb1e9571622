import { RunMetadataDto } from '@testpulse/contracts';

/** Query of the file uploads (`/executions/junit`, `/executions/ctrf`): the run's metadata. */
export class UploadQueryDto extends RunMetadataDto {}
