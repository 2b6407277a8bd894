import { Test } from '@nestjs/testing';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';

describe('ItemsController', () => {
  let controller: ItemsController;
  const service = { findOne: jest.fn().mockResolvedValue({ id: 1, title: 'Lamp' }) };

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ItemsController],
      providers: [{ provide: ItemsService, useValue: service }],
    }).compile();
    controller = moduleRef.get(ItemsController);
  });

  it('delegates findOne to the service', async () => {
    await expect(controller.findOne(1)).resolves.toEqual({ id: 1, title: 'Lamp' });
  });
});
