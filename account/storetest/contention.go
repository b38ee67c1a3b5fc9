package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
)

// Goroutine counts for the contention subtests.
const (
	createWorkers  = 100
	counterWorkers = 50
	casWorkers     = 20
)

type nopNotifier struct{}

// Notify discards the notification.
func (nopNotifier) Notify(_ context.Context, _ account.Notification) error { return nil }

func testContention(t *testing.T, newStore Factory) {
	t.Run("UsernameCounter", func(t *testing.T) {
		s := newStore(t)
		got := make(chan int64, counterWorkers)
		var wg sync.WaitGroup
		for range counterWorkers {
			wg.Go(func() {
				n, err := s.NextUsernameNumber(t.Context(), "base")
				if err != nil {
					t.Error(err)
					return
				}
				got <- n
			})
		}
		wg.Wait()
		close(got)
		seen := map[int64]bool{}
		for n := range got {
			require.False(t, seen[n], "duplicate %d", n)
			seen[n] = true
		}
		require.Len(t, seen, counterWorkers)
	})
	t.Run("CompareAndSwap", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, sample(1))
		var wg sync.WaitGroup
		for range casWorkers {
			wg.Go(func() {
				for {
					cur, err := s.GetAccount(t.Context(), a.ID)
					if err != nil {
						t.Error(err)
						return
					}
					cur.FailedLogins++
					_, err = s.UpdateAccount(t.Context(), account.Update{Account: cur})
					if errors.Is(err, account.ErrConflict) {
						continue
					}
					if err != nil {
						t.Error(err)
					}
					return
				}
			})
		}
		wg.Wait()
		got, err := s.GetAccount(t.Context(), a.ID)
		require.NoError(t, err)
		require.Equal(t, a.FailedLogins+casWorkers, got.FailedLogins, "no lost update")
		require.EqualValues(t, 1+casWorkers, got.Version)
	})
	t.Run("CreateSameName100", func(t *testing.T) { testCreateSameName(t, newStore(t)) })
}

// RunShared runs the username contention test across several handles on
// one database (separate connection pools or files opened twice), the way
// several processes share a production store: 100 goroutines, spread over
// the handles, create "Nováková Jana" and all get distinct usernames (A3).
// The database must be fresh; the caller owns the handles' clean-up.
func RunShared(t *testing.T, stores ...account.Store) {
	require.NotEmpty(t, stores)
	testCreateSameName(t, stores...)
}

// testCreateSameName: 100 goroutines create "Nováková Jana" through
// Services on the given stores; every one gets a distinct username
// novakovaj1..100 (A3).
func testCreateSameName(t *testing.T, stores ...account.Store) {
	h, err := password.New(password.Config{MemoryKiB: 64, Time: 1}) // cheap: 100 hashes under -race
	require.NoError(t, err)
	svcs := make([]*account.Service, len(stores))
	for i, s := range stores {
		svcs[i], err = account.New(account.Config{Store: s, Notifier: nopNotifier{}, Hasher: h,
			Now: func() time.Time { return base }})
		require.NoError(t, err)
	}
	names := make(chan string, createWorkers)
	var wg sync.WaitGroup
	for i := range createWorkers {
		svc := svcs[i%len(svcs)]
		wg.Go(func() {
			a, _, err := svc.Create(t.Context(), account.Actor{Name: "admin"}, account.NewAccount{
				FirstName: "Jana", Surname: "Nováková", Email: "jana@example.cz", Class: policy.ClassUser, Role: account.RoleResearcher})
			if err != nil {
				t.Error(err)
				return
			}
			names <- a.Username
		})
	}
	wg.Wait()
	close(names)
	seen := map[string]bool{}
	for n := range names {
		require.False(t, seen[n], "duplicate username %s", n)
		seen[n] = true
	}
	require.Len(t, seen, createWorkers)
	for i := 1; i <= createWorkers; i++ {
		require.True(t, seen[fmt.Sprintf("novakovaj%d", i)], "novakovaj%d", i)
	}
}
