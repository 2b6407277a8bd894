export class CreateItemDto {
  title: string;
  priceCents: number;
}
