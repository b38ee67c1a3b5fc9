package account_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
	"github.com/eidkit/eidkit/account/sqlitestore"
)

var t0 = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type recorder struct {
	mu   sync.Mutex
	sent []account.Notification
	fail bool
}

func (r *recorder) Notify(_ context.Context, n account.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return context.DeadlineExceeded
	}
	r.sent = append(r.sent, n)
	return nil
}

func (r *recorder) take() []account.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sent
	r.sent = nil
	return out
}

type env struct {
	svc   *account.Service
	store *sqlitestore.Store
	clk   *clock
	note  *recorder
}

var sharedPolicy = sync.OnceValue(func() *policy.Checker {
	c, err := policy.New(policy.Config{})
	if err != nil {
		panic(err)
	}
	return c
})

func cheapHasher(t testing.TB, mem uint32) *password.Hasher {
	h, err := password.New(password.Config{MemoryKiB: mem, Time: 1})
	require.NoError(t, err)
	return h
}

func newEnv(t testing.TB) *env {
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return newEnvOn(t, st, cheapHasher(t, 64))
}

func newEnvOn(t testing.TB, st *sqlitestore.Store, h *password.Hasher) *env {
	e := &env{store: st, clk: &clock{now: t0}, note: &recorder{}}
	svc, err := account.New(account.Config{Store: st, Notifier: e.note, Hasher: h, Policy: sharedPolicy(),
		SystemName: "Badatelna", Now: e.clk.Now})
	require.NoError(t, err)
	e.svc = svc
	return e
}

var admin = account.Actor{Name: "central-admin", Remote: "10.0.0.1"}

func jana() account.NewAccount {
	return account.NewAccount{FirstName: "Jana", Surname: "Nováková", Email: "jana.novakova@example.cz",
		Class: policy.ClassUser, Role: account.RoleResearcher}
}

// createActive creates an account and replaces its temporary password.
func (e *env) createActive(t *testing.T, n account.NewAccount, pw string) account.Account {
	a, temp, err := e.svc.Create(t.Context(), admin, n)
	require.NoError(t, err)
	a, err = e.svc.ChangePassword(t.Context(), account.Credentials{Username: a.Username, Password: temp}, pw)
	require.NoError(t, err)
	return a
}

func actions(t *testing.T, e *env, id string) []account.Action {
	ev, err := e.svc.Events(t.Context(), id, 1000)
	require.NoError(t, err)
	var out []account.Action
	for _, x := range ev {
		out = append(out, x.Action)
	}
	return out
}
