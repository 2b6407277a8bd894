import {
  Column,
  CreateDateColumn,
  Entity,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../users/user.entity';

@Entity('catalog_items')
export class Item {
  @PrimaryGeneratedColumn()
  id: number;

  @Column()
  title: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents: number;

  @ManyToOne(() => User, (user) => user.items, { nullable: true })
  owner: User;

  @CreateDateColumn()
  createdAt: Date;
}
