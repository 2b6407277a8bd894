package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"example.com/shop/models"
)

func TestGetItem(t *testing.T) {
	db, _ := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{})
	_ = db.AutoMigrate(&models.Item{})
	db.Create(&models.Item{Name: "pen", PriceCents: 150})
	router := setupRouter(db)

	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/items/1", nil)
	req.Header.Set("Authorization", "Bearer test")
	router.ServeHTTP(w, req)

	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
}

func TestHealth(t *testing.T) {
	w := httptest.NewRecorder()
	setupRouter(nil).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/health", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
}
