import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { UsersModule } from '../users/users.module';
import { ProjectsHandler } from './projects.handler';
import { ProjectsRepository } from './projects.repository';
import { ProjectsService } from './projects.service';
import { Project, ProjectSchema } from './schemas/project.schema';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Project.name, schema: ProjectSchema }]),
    MembershipsModule,
    UsersModule,
  ],
  controllers: [ProjectsHandler],
  providers: [ProjectsRepository, ProjectsService],
})
export class ProjectsModule {}
