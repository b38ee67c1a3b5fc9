package account

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DeletionRule says when accounts of a role are deleted automatically
// (A10). A zero duration turns that trigger off; the first trigger that is
// due deletes the account.
type DeletionRule struct {
	Role Role
	// AfterLastLogin counts from the last login, or from creation for an
	// account never used.
	AfterLastLogin time.Duration
	// AfterCardExpiry counts from Account.CardExpiresAt, when set.
	AfterCardExpiry time.Duration
	// AfterProcedureEnd counts from Account.ProcedureEndAt, when set.
	AfterProcedureEnd time.Duration
}

func (r DeletionRule) validate() error {
	if r.Role == "" {
		return ErrInvalidRole
	}
	if r.AfterLastLogin < 0 || r.AfterCardExpiry < 0 || r.AfterProcedureEnd < 0 {
		return fmt.Errorf("negative duration for role %s", r.Role)
	}
	return nil
}

// Periods used by DefaultDeletionRules.
const (
	ThreeYears = 3 * 365 * 24 * time.Hour
	OneMonth   = 30 * 24 * time.Hour
)

// DefaultDeletionRules are requirement A10: researchers and originators
// III/IV 3 years after card expiry or last login, originator II one month
// after the procedure ends. Other roles are deleted by decision
// (DeleteAccount) and every role at once on a serious breach
// (DeleteForBreach).
func DefaultDeletionRules() []DeletionRule {
	long := func(r Role) DeletionRule {
		return DeletionRule{Role: r, AfterLastLogin: ThreeYears, AfterCardExpiry: ThreeYears}
	}
	return []DeletionRule{long(RoleResearcher), long(RoleOriginatorIII), long(RoleOriginatorIV),
		{Role: RoleOriginatorII, AfterProcedureEnd: OneMonth}}
}

// due returns why a is due for deletion at now, or "".
func (r DeletionRule) due(a Account, now time.Time) string {
	last := a.LastLoginAt
	if last.IsZero() {
		last = a.CreatedAt
	}
	switch {
	case r.AfterLastLogin > 0 && !now.Before(last.Add(r.AfterLastLogin)):
		return fmt.Sprintf("no login since %s", last.Format(time.DateOnly))
	case r.AfterCardExpiry > 0 && !a.CardExpiresAt.IsZero() && !now.Before(a.CardExpiresAt.Add(r.AfterCardExpiry)):
		return fmt.Sprintf("card expired %s", a.CardExpiresAt.Format(time.DateOnly))
	case r.AfterProcedureEnd > 0 && !a.ProcedureEndAt.IsZero() && !now.Before(a.ProcedureEndAt.Add(r.AfterProcedureEnd)):
		return fmt.Sprintf("procedure ended %s", a.ProcedureEndAt.Format(time.DateOnly))
	}
	return ""
}

// Deletion is one account the sweeper deleted.
type Deletion struct {
	AccountID string
	Username  string
	Email     string
	Role      Role
	Reason    string
	// Notified is true when the user notification was delivered.
	Notified bool
}

// SweepReport says what one Sweep did.
type SweepReport struct {
	Deleted []Deletion
	// ExpiryWarned lists usernames warned that their password expires.
	ExpiryWarned []string
	// OverdueReviews lists suspended accounts past their review deadline.
	OverdueReviews []string
	// Errors holds per-account failures; the sweep goes on after them.
	Errors []error
}

// SweepPageSize is how many accounts the sweeper reads at a time.
const SweepPageSize = 200

// Sweep applies the deletion schedules, sends password-expiry warnings
// and lists overdue reviews. It is idempotent: an account is deleted and
// its user notified once, a warning is sent once per password, and a
// second run at the same time does nothing. Several sweepers may run at
// once; the compare-and-swap lets one of them win each account.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	now := s.clock()
	var rep SweepReport
	after := ""
	for {
		page, err := s.store.ListAccounts(ctx, after, SweepPageSize)
		if err != nil {
			return rep, err
		}
		for _, a := range page {
			s.sweepOne(ctx, a, now, &rep)
		}
		if len(page) < SweepPageSize {
			return rep, nil
		}
		after = page[len(page)-1].Username
	}
}

func (s *Service) sweepOne(ctx context.Context, a Account, now time.Time, rep *SweepReport) {
	for _, r := range s.rules {
		if r.Role != a.Role {
			continue
		}
		if reason := r.due(a, now); reason != "" {
			d, err := s.deleteAndNotify(ctx, a, Actor{Name: SystemActor}, reason, now)
			if err == nil {
				rep.Deleted = append(rep.Deleted, d)
			} else if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
				rep.Errors = append(rep.Errors, err)
			}
			return
		}
	}
	if a.Status == StatusSuspended && !a.ReviewDeadline.IsZero() && now.After(a.ReviewDeadline) {
		rep.OverdueReviews = append(rep.OverdueReviews, a.Username)
	}
	if err := s.warnExpiry(ctx, a, now, rep); err != nil {
		rep.Errors = append(rep.Errors, err)
	}
}

func (s *Service) warnExpiry(ctx context.Context, a Account, now time.Time, rep *SweepReport) error {
	p := s.profile
	if p.MaxAge == 0 || a.Status != StatusActive || a.MustChangePassword {
		return nil
	}
	expires := a.PasswordChangedAt.Add(p.MaxAge)
	if now.Before(expires.Add(-p.ExpiryWarning)) || !a.ExpiryWarnedAt.Before(a.PasswordChangedAt) && !a.ExpiryWarnedAt.IsZero() {
		return nil
	}
	a.ExpiryWarnedAt, a.UpdatedAt = now, now
	if _, err := s.store.UpdateAccount(ctx, Update{Account: a,
		Events: []Event{s.event(a, Actor{Name: SystemActor}, ActionExpiryWarned, now, expires.Format(time.RFC3339))}}); err != nil {
		if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
			return nil // changed meanwhile; the next sweep looks again
		}
		return err
	}
	rep.ExpiryWarned = append(rep.ExpiryWarned, a.Username)
	return s.notify(ctx, Notification{Kind: NotifyPasswordExpiring, AccountID: a.ID, Username: a.Username,
		Email: a.Email, Deadline: expires})
}

func (s *Service) deleteAndNotify(ctx context.Context, a Account, actor Actor, reason string, now time.Time) (Deletion, error) {
	if err := s.store.DeleteAccount(ctx, a.ID, a.Version, s.event(a, actor, ActionDeleted, now, reason)); err != nil {
		return Deletion{}, err
	}
	d := Deletion{AccountID: a.ID, Username: a.Username, Email: a.Email, Role: a.Role, Reason: reason}
	d.Notified = s.notify(ctx, Notification{Kind: NotifyDeleted, AccountID: a.ID, Username: a.Username,
		Email: a.Email, Reason: reason}) == nil
	return d, nil
}

// DeleteForBreach deletes an account at once after a serious breach (A10)
// and notifies the user.
func (s *Service) DeleteForBreach(ctx context.Context, actor Actor, username, reason string) (Deletion, error) {
	return s.Delete(ctx, actor, username, "serious breach: "+reason)
}

// Delete deletes an account by decision (A10: change of job, periodic
// review) and notifies the user. The audit trail is kept.
func (s *Service) Delete(ctx context.Context, actor Actor, username, reason string) (Deletion, error) {
	for range MaxCASRetries {
		a, err := s.store.GetAccountByUsername(ctx, username)
		if err != nil {
			return Deletion{}, err
		}
		d, err := s.deleteAndNotify(ctx, a, actor, reason, s.clock())
		if errors.Is(err, ErrConflict) {
			continue
		}
		return d, err
	}
	return Deletion{}, fmt.Errorf("account: delete %s: %w", username, ErrConflict)
}
