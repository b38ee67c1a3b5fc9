package account_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/policy"
)

func person(first, surname string, role account.Role) account.NewAccount {
	return account.NewAccount{FirstName: first, Surname: surname, Email: first + "@example.cz",
		Class: policy.ClassUser, Role: role}
}

// TestSweep covers the A10 schedules and idempotence.
func TestSweep(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	idle := e.createActive(t, person("Petr", "Svoboda", account.RoleResearcher), goodPW)
	card := e.createActive(t, person("Eva", "Dvořák", account.RoleOriginatorIII), goodPW)
	proc := e.createActive(t, person("Karel", "Novotný", account.RoleOriginatorII), goodPW)
	staff := e.createActive(t, person("Hana", "Černá", account.RoleStaff), goodPW)
	active := e.createActive(t, person("Jan", "Král", account.RoleResearcher), goodPW)

	_, err := e.svc.SetCardExpiry(ctx, admin, card.Username, t0.AddDate(0, 1, 0))
	require.NoError(t, err)
	_, err = e.svc.SetProcedureEnd(ctx, admin, proc.Username, t0.Add(10*24*time.Hour))
	require.NoError(t, err)

	e.clk.Add(41 * 24 * time.Hour) // procedure ended 31 days ago
	rep, err := e.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Len(t, rep.Deleted, 1)
	require.Equal(t, proc.Username, rep.Deleted[0].Username, "A10: originator II one month after the procedure")
	require.True(t, rep.Deleted[0].Notified)
	e.note.take()

	e.clk.Add(account.ThreeYears - 41*24*time.Hour - time.Hour)
	_, err = e.svc.Login(ctx, account.Credentials{Username: active.Username, Password: goodPW})
	require.NoError(t, err)
	e.clk.Add(2 * time.Hour) // 3 years since idle's last activity, card expired 3y - 1 month ago
	rep, err = e.svc.Sweep(ctx)
	require.NoError(t, err)
	var deleted []string
	for _, d := range rep.Deleted {
		deleted = append(deleted, d.Username)
	}
	require.ElementsMatch(t, []string{idle.Username, card.Username}, deleted, "A10: 3 years without login")
	notes := e.note.take()
	var deletedNotes int
	for _, n := range notes {
		if n.Kind == account.NotifyDeleted {
			deletedNotes++
		}
	}
	require.Equal(t, 2, deletedNotes, "A10: the user is notified by e-mail")

	again, err := e.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Empty(t, again.Deleted, "idempotent")
	require.Empty(t, again.Errors)
	for _, n := range e.note.take() {
		require.NotEqual(t, account.NotifyDeleted, n.Kind, "nobody notified twice")
	}
	_, err = e.svc.Get(ctx, staff.Username)
	require.NoError(t, err, "other roles are deleted by decision only")
	_, err = e.svc.Get(ctx, active.Username)
	require.NoError(t, err)
	ev, err := e.svc.Events(ctx, idle.ID, 100)
	require.NoError(t, err)
	require.Equal(t, account.ActionDeleted, ev[len(ev)-1].Action, "A11: audit trail kept")
}

func TestSweepCardExpiry(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, person("Eva", "Dvořák", account.RoleResearcher), goodPW)
	_, err := e.svc.SetCardExpiry(ctx, admin, a.Username, t0.Add(-account.ThreeYears))
	require.NoError(t, err)
	rep, err := e.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Len(t, rep.Deleted, 1)
	require.Contains(t, rep.Deleted[0].Reason, "card expired")
}

func TestSweepExpiryWarningAndOverdueReview(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, person("Hana", "Černá", account.RoleStaff), goodPW)
	b := e.createActive(t, person("Jiří", "Malý", account.RoleStaff), goodPW)
	_, err := e.svc.Suspend(ctx, admin, b.Username, "review me")
	require.NoError(t, err)
	e.note.take()
	e.clk.Add(352 * 24 * time.Hour)
	rep, err := e.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{a.Username}, rep.ExpiryWarned)
	require.Equal(t, []string{b.Username}, rep.OverdueReviews, "A9: past the 72-hour deadline")
	notes := e.note.take()
	require.Len(t, notes, 1)
	require.Equal(t, account.NotifyPasswordExpiring, notes[0].Kind)
	rep, err = e.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.ExpiryWarned, "warned once per password")
}

func TestDeleteForBreach(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, person("Hana", "Černá", account.RoleCentralAdmin), goodPW)
	d, err := e.svc.DeleteForBreach(ctx, admin, a.Username, "credentials sold")
	require.NoError(t, err)
	require.Contains(t, d.Reason, "serious breach")
	require.True(t, d.Notified)
	_, err = e.svc.Get(ctx, a.Username)
	require.ErrorIs(t, err, account.ErrNotFound)
	_, err = e.svc.DeleteForBreach(ctx, admin, a.Username, "again")
	require.ErrorIs(t, err, account.ErrNotFound)
}

func TestNotifierFailureKeepsChange(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a := e.createActive(t, person("Hana", "Černá", account.RoleStaff), goodPW)
	e.note.fail = true
	d, err := e.svc.Delete(ctx, admin, a.Username, "left the job")
	require.NoError(t, err)
	require.False(t, d.Notified, "reported, not hidden")
	_, err = e.svc.Get(ctx, a.Username)
	require.ErrorIs(t, err, account.ErrNotFound)
}
