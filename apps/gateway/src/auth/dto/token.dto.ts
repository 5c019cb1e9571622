import { ApiProperty } from '@nestjs/swagger';
import { IsJWT } from 'class-validator';

export class RefreshDto {
  @ApiProperty()
  @IsJWT({ message: 'refreshToken must be a JWT' })
  refreshToken: string;
}

export class TokenPairView {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ description: 'Lifetime of the access token in seconds' }) expiresIn: number;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
}

export class MeView {
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) role: string | null;
  @ApiProperty({ type: [String] }) permissions: string[];
}
