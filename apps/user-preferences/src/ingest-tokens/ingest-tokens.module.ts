import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Project, ProjectSchema } from '../projects/schemas/project.schema';
import { IngestTokensHandler } from './ingest-tokens.handler';
import { IngestTokensRepository } from './ingest-tokens.repository';
import { IngestTokensService } from './ingest-tokens.service';
import { IngestToken, IngestTokenSchema } from './schemas/ingest-token.schema';

/** Project ingest tokens for CI pipelines; the projects collection is read to tie a token to its project. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: IngestToken.name, schema: IngestTokenSchema },
      { name: Project.name, schema: ProjectSchema },
    ]),
  ],
  controllers: [IngestTokensHandler],
  providers: [IngestTokensRepository, IngestTokensService],
})
export class IngestTokensModule {}
