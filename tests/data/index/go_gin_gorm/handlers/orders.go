package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// RegisterOrderRoutes mounts the order endpoints on the group it is given.
func RegisterOrderRoutes(rg *gin.RouterGroup) {
	rg.GET("", listOrders)
	rg.DELETE("/:id", cancelOrder)
}

func listOrders(c *gin.Context) {
	c.JSON(http.StatusOK, []string{})
}

func cancelOrder(c *gin.Context) {
	c.Status(http.StatusNoContent)
}
