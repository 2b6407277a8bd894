import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ItemsModule } from './items/items.module';
import { HealthController } from './health/health.controller';

@Module({
  imports: [
    TypeOrmModule.forRoot({ type: 'postgres', autoLoadEntities: true }),
    ItemsModule,
  ],
  controllers: [HealthController],
})
export class AppModule {}
