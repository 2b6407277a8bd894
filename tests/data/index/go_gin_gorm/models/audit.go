package models

import "time"

// AuditEntry is written by the mailer, never by the item endpoints.
type AuditEntry struct {
	ID      uint
	Message string
	At      time.Time
}
