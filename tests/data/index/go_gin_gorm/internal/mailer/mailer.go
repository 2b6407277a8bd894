package mailer

import (
	"fmt"

	"example.com/shop/models"
)

type Mailer struct {
	From string
}

func (m *Mailer) Notify(entry models.AuditEntry) string {
	return fmt.Sprintf("%s: %s", m.From, entry.Message)
}
