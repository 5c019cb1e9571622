import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { IngestTokensController } from './ingest-tokens.controller';
import { TokenService } from './token.service';

@Module({
  controllers: [AuthController, IngestTokensController],
  providers: [TokenService],
})
export class AuthHttpModule {}
