package models

import "gorm.io/gorm"

// Item is one product in the catalogue.
type Item struct {
	gorm.Model
	Name       string `gorm:"column:title;size:200;not null" json:"name"`
	PriceCents int    `json:"price_cents"`
	Tags       []Tag  `gorm:"many2many:item_tags" json:"tags"`
}

type Tag struct {
	ID   uint
	Name string
}
