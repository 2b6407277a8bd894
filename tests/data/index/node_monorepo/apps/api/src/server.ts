import { app } from './app.js';
import { config } from '#config/env';
import { logger } from '#logger';

app.listen(config.port, () => logger.info(`api listening on ${config.port}`));
