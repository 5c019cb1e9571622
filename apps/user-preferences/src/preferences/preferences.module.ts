import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { PreferencesHandler } from './preferences.handler';
import { PreferencesStoreModule } from './preferences.repository';
import { PreferencesService } from './preferences.service';

@Module({
  imports: [PreferencesStoreModule, UsersModule],
  controllers: [PreferencesHandler],
  providers: [PreferencesService],
})
export class PreferencesModule {}
