package main

import (
	"log"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"example.com/shop/handlers"
	"example.com/shop/middleware"
	"example.com/shop/models"
	"example.com/shop/repo"
	"example.com/shop/service"
)

// setupRouter wires the handlers under /api/v1; tests call it with an in-memory database.
func setupRouter(db *gorm.DB) *gin.Engine {
	r := gin.Default()
	items := handlers.NewItemHandler(service.NewItemService(repo.NewItemRepo(db)))

	r.GET("/health", handlers.Health)

	api := r.Group("/api")
	v1 := api.Group("/v1")
	v1.Use(middleware.RequireToken())
	{
		v1.GET("/items", items.List)
		v1.GET("/items/:id", items.Get)
		v1.POST("/items", items.Create)
	}
	handlers.RegisterOrderRoutes(v1.Group("/orders"))
	return r
}

func main() {
	db, err := gorm.Open(sqlite.Open("shop.db"), &gorm.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := db.AutoMigrate(&models.Item{}, &models.Order{}); err != nil {
		log.Fatal(err)
	}
	if err := setupRouter(db).Run(":8080"); err != nil {
		log.Fatal(err)
	}
}
