module example.com/shop

go 1.22

require (
	github.com/gin-gonic/gin v1.10.0
	gorm.io/driver/sqlite v1.5.6
	gorm.io/gorm v1.25.12
)
