package service

import (
	"context"
	"errors"

	"example.com/shop/models"
	"example.com/shop/repo"
)

var ErrInvalidPrice = errors.New("price must not be negative")

type ItemService struct {
	repo *repo.ItemRepo
}

func NewItemService(r *repo.ItemRepo) *ItemService {
	return &ItemService{repo: r}
}

func (s *ItemService) ListItems(ctx context.Context) ([]models.Item, error) {
	return s.repo.All(ctx)
}

func (s *ItemService) GetItem(ctx context.Context, id uint) (*models.Item, error) {
	return s.repo.ByID(ctx, id)
}

func (s *ItemService) CreateItem(ctx context.Context, item models.Item) (*models.Item, error) {
	if item.PriceCents < 0 {
		return nil, ErrInvalidPrice
	}
	if err := s.repo.Insert(ctx, &item); err != nil {
		return nil, err
	}
	return &item, nil
}
