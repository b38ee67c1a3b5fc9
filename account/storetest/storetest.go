package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/policy"
)

// Factory returns a fresh, isolated, migrated store and registers its
// clean-up with t.Cleanup.
type Factory func(t *testing.T) account.Store

// Run runs the whole suite against the backend.
func Run(t *testing.T, newStore Factory) {
	t.Run("Accounts", func(t *testing.T) { testAccounts(t, newStore) })
	t.Run("Update", func(t *testing.T) { testUpdate(t, newStore) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newStore) })
	t.Run("History", func(t *testing.T) { testHistory(t, newStore) })
	t.Run("ResetTokens", func(t *testing.T) { testResetTokens(t, newStore) })
	t.Run("Events", func(t *testing.T) { testEvents(t, newStore) })
	t.Run("UsernameCounter", func(t *testing.T) { testUsernameCounter(t, newStore) })
	t.Run("Contention", func(t *testing.T) { testContention(t, newStore) })
}

// base is a fixed instant; tests derive every time from it.
var base = time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)

func sample(n int) account.Account {
	return account.Account{
		ID: fmt.Sprintf("id-%04d", n), Username: fmt.Sprintf("novakovaj%d", n), Class: policy.ClassUser,
		Role: account.RoleResearcher, Status: account.StatusActive, FirstName: "Jana", Surname: "Nováková",
		Email: "jana@example.cz", Phone: "+420 221 000 000", Organisation: "Národní archiv",
		Archives: []string{"NA", "SOA Praha"}, Identities: []string{"eid:CZ/CZ/1234"},
		PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5aw", PasswordNorm: "NFKC",
		PasswordChangedAt: base, MustChangePassword: true, SecondFactor: true, FailedLogins: 2,
		LastLoginAt: base.Add(time.Hour), CardExpiresAt: base.AddDate(1, 0, 0), CreatedAt: base, UpdatedAt: base,
	}
}

func ctxT(t *testing.T) context.Context { return t.Context() }

func mustCreate(t *testing.T, s account.Store, a account.Account) account.Account {
	t.Helper()
	require.NoError(t, s.CreateAccount(ctxT(t), a))
	got, err := s.GetAccount(ctxT(t), a.ID)
	require.NoError(t, err)
	return got
}
