package account

import (
	"context"
	"time"
)

// Notifier delivers notifications, typically by e-mail. The Service calls
// it after the change it reports has been committed.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotificationKind says what a notification is about.
type NotificationKind string

// Notification kinds.
const (
	// NotifyResetLink carries the reset token to the user's registered
	// e-mail (A6).
	NotifyResetLink NotificationKind = "reset-link"
	// NotifyResetRequested tells the central administrator that a reset
	// was requested; they may block the account (A6).
	NotifyResetRequested NotificationKind = "reset-requested"
	// NotifySuspended tells the user (and, with ToAdmin, the central
	// administrator, who must review by Deadline) of a suspension (A9).
	NotifySuspended NotificationKind = "suspended"
	// NotifyRestored and NotifyCancelled report the review decision.
	NotifyRestored  NotificationKind = "restored"
	NotifyCancelled NotificationKind = "cancelled"
	// NotifyDeleted tells the user the account was deleted (A10).
	NotifyDeleted NotificationKind = "deleted"
	// NotifyPasswordExpiring warns that the password expires at Deadline.
	NotifyPasswordExpiring NotificationKind = "password-expiring"
)

// Notification is one message to a user or to the central administrator.
type Notification struct {
	Kind NotificationKind
	// ToAdmin is true for messages to the central administrator; otherwise
	// the message goes to Email.
	ToAdmin   bool
	AccountID string
	Username  string
	Email     string
	// Token is the reset token, only in NotifyResetLink.
	Token string
	// Deadline is the review deadline, token expiry or password expiry.
	Deadline time.Time
	Reason   string
}
