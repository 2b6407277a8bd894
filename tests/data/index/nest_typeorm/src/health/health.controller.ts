import { Controller, Get } from '@nestjs/common';

@Controller({ path: 'health' })
export class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
