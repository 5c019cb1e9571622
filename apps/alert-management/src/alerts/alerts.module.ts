import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AlertsHandler } from './alerts.handler';
import { AlertsRepository } from './alerts.repository';
import { Alert, AlertSchema } from './schemas/alert.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: Alert.name, schema: AlertSchema }])],
  controllers: [AlertsHandler],
  providers: [AlertsRepository],
})
export class AlertsModule {}
