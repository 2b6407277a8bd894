import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Item } from './item.entity';
import { CreateItemDto } from './dto';

@Injectable()
export class ItemsService {
  constructor(
    @InjectRepository(Item)
    private readonly items: Repository<Item>,
  ) {}

  findAll(): Promise<Item[]> {
    return this.items.find({ order: { createdAt: 'DESC' } });
  }

  async findOne(id: number): Promise<Item> {
    const item = await this.items.findOneBy({ id });
    if (!item) {
      throw new NotFoundException(`item ${id}`);
    }
    return item;
  }

  create(dto: CreateItemDto): Promise<Item> {
    return this.items.save(this.items.create(dto));
  }
}
