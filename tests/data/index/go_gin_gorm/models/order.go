package models

import "time"

type Order struct {
	ID       uint `gorm:"primaryKey"`
	ItemID   uint
	Quantity int
	PlacedAt time.Time
}

func (Order) TableName() string {
	return "shop_orders"
}
