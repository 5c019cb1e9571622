import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { PreferencesStoreModule } from '../preferences/preferences.repository';
import { AdminSeeder } from './admin-seeder';
import { User, UserSchema } from './schemas/user.schema';
import { UsersHandler } from './users.handler';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: User.name, schema: UserSchema }]),
    MembershipsModule,
    PreferencesStoreModule,
  ],
  controllers: [UsersHandler],
  providers: [UsersRepository, UsersService, AdminSeeder],
  exports: [UsersRepository],
})
export class UsersModule {}
