package repo

import (
	"context"

	"gorm.io/gorm"

	"example.com/shop/models"
)

type ItemRepo struct {
	db *gorm.DB
}

func NewItemRepo(db *gorm.DB) *ItemRepo {
	return &ItemRepo{db: db}
}

func (r *ItemRepo) All(ctx context.Context) ([]models.Item, error) {
	var items []models.Item
	err := r.db.WithContext(ctx).Order("id").Limit(100).Find(&items).Error
	return items, err
}

func (r *ItemRepo) ByID(ctx context.Context, id uint) (*models.Item, error) {
	var item models.Item
	if err := r.db.WithContext(ctx).First(&item, id).Error; err != nil {
		return nil, err
	}
	return &item, nil
}

func (r *ItemRepo) Insert(ctx context.Context, item *models.Item) error {
	return r.db.WithContext(ctx).Create(item).Error
}
